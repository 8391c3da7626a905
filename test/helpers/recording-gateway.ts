import http from 'node:http';
import type net from 'node:net';

// A pass-through HTTP gateway on 127.0.0.1 that writes down every request before handing it on unchanged:
// what Ferry really put on the wire, seen from outside both Ferry and the sandbox. The contract test reads
// these records; nothing here knows CloudSuite.

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent (matrix parameters included). */
  url: string;
  body: string;
}

export interface RecordingGateway {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingGateway(target: string): Promise<RecordingGateway> {
  const to = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', body: body.toString('utf8') });
      const headers = { ...req.headers, host: to.host };
      const out = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
