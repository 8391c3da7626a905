import { createHostServer } from './host-server';

// The engine's own process: started by main with utilityProcess.fork (electron/engine-supervisor.ts), so a long
// sync, a big import or a slow disk never blocks the window. It talks to main only through process.parentPort;
// the database key arrives there in the first message. It needs nothing of Electron's API.

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('electron/engine-host runs only as an Electron utility process.\n');
  process.exit(2);
}

const server = createHostServer({
  post: (message) => parentPort.postMessage(message),
  exit: (code) => process.exit(code),
  onInvalid: (problem) => process.stderr.write(`Ferry engine host: a message from main was not understood (${problem}).\n`),
});

// The scheduler's timers are unref'd (a host decides when to exit): this one keeps the process alive until main says stop.
setInterval(() => undefined, 1 << 30);

parentPort.on('message', (e) => {
  server.handle(e.data).catch((err: unknown) => {
    process.stderr.write(`Ferry engine host: ${err instanceof Error ? err.message : String(err)}\n`);
  });
});
