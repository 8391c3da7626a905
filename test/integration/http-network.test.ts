import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/errors';
import { Http } from '../../electron/engine/http/client';
import { ConnectorError } from '../../electron/engine/http/errors';
import { tempDir } from '../helpers/temp';

// A corporate network in miniature, all on 127.0.0.1: an HTTPS server whose certificate is signed by a
// private CA (as with TLS inspection), and an HTTP CONNECT proxy in front of it.

let tmp: ReturnType<typeof tempDir>;
let server: https.Server;
let proxy: http.Server;
let hang: http.Server;
let target: string;
let proxyUrl: string;
let caFile: string;
const tunnels: string[] = [];
const tunnelSockets: net.Socket[] = [];

const listen = (s: http.Server | https.Server) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));

beforeAll(async () => {
  tmp = tempDir();
  const ca = await generate([{ name: 'commonName', value: 'Ferry Test Corporate CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true, cRLSign: true }],
  });
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  caFile = path.join(tmp.dir, 'corporate-ca.pem');
  fs.writeFileSync(caFile, ca.cert);

  server = https.createServer({ key: leaf.private, cert: leaf.cert }, (req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  target = `https://127.0.0.1:${await listen(server)}`;

  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    tunnels.push(req.url ?? '');
    // This proxy only ever tunnels to this machine.
    if (host !== '127.0.0.1') return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    tunnelSockets.push(client);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnelSockets.push(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;

  hang = http.createServer(() => undefined);
  await listen(hang);
});

afterAll(async () => {
  // Tunnels are hijacked sockets the servers no longer track: end them here.
  for (const socket of tunnelSockets) socket.destroy();
  for (const s of [server, proxy, hang]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  tmp.remove();
});

describe('proxy and corporate CA', () => {
  it('reaches an HTTPS service through a CONNECT proxy, trusting the extra CA', async () => {
    const before = tunnels.length;
    const client = new Http({ system: 'JAGGAER', network: { proxyUrl, caFile } });
    const res = await client.send<{ ok: boolean; path: string }>({ method: 'GET', url: `${target}/j1p/ping` });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, path: '/j1p/ping' });
    expect(tunnels.slice(before)).toEqual([new URL(target).host]);
  });

  it('names the certificate problem when the CA is not trusted, and does not retry it', async () => {
    const client = new Http({ system: 'JAGGAER', network: { proxyUrl } });
    const err = await client.send({ method: 'GET', url: `${target}/x` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'tls_untrusted', retryable: false });
    expect((err as Error).message).toMatch(/does not trust the certificate .*add its CA certificate \(PEM\) in Settings/);
    expect(client.stats.requests).toBe(1);
  });

  it('goes direct for hosts in NO_PROXY, and through the proxy from HTTPS_PROXY otherwise', async () => {
    const before = tunnels.length;
    const direct = new Http({ system: 'Jira', network: { proxyUrl, noProxy: 'localhost,127.0.0.1', caFile } });
    expect((await direct.send({ method: 'GET', url: `${target}/direct` })).status).toBe(200);
    expect(tunnels.length).toBe(before);

    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTPS_PROXY = proxyUrl;
    delete process.env.NO_PROXY;
    try {
      const fromEnv = new Http({ system: 'Jira', network: { caFile } });
      expect((await fromEnv.send({ method: 'GET', url: `${target}/env` })).status).toBe(200);
      expect(tunnels.length).toBe(before + 1);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  it('refuses a CA file that is missing or holds no certificate, with a sentence', async () => {
    const notPem = path.join(tmp.dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
    const messages: string[] = [];
    for (const file of [path.join(tmp.dir, 'missing.pem'), notPem]) {
      const client = new Http({ system: 'Jira', network: { caFile: file } });
      const err = await client.send({ method: 'GET', url: target }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FerryError);
      expect((err as FerryError).code).toBe('ca_file');
      messages.push((err as Error).message);
      expect(client.stats.requests).toBe(1);
    }
    expect(messages[0]).toMatch(/cannot read the CA certificate file/);
    expect(messages[1]).toMatch(/holds no PEM certificate/);
  });

  it('gives up on a server that never answers after the request timeout, and says so', async () => {
    const port = (hang.address() as net.AddressInfo).port;
    const client = new Http({ system: 'CloudSuite', requestTimeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 10 } });
    const started = Date.now();
    const err = await client.send({ method: 'GET', url: `http://127.0.0.1:${port}/slow` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect((err as Error).message).toMatch(/did not answer in time.*tried 2 times/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(client.stats.requests).toBe(2);
  });
});
