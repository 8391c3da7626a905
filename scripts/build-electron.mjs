// Bundles the Electron main process, the preload script and the engine host (the utilityProcess that runs the
// engine) into dist/electron as CommonJS. Native and Electron modules stay external: electron-builder ships
// them unpacked from the asar.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'pino', 'thread-stream'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs' });
await build({ ...common, entryPoints: ['electron/engine-host.ts'], outfile: 'dist/electron/engine-host.cjs' });
