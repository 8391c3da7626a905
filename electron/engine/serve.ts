import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { isMethodName } from '../../shared/api';
import { FerryError } from '../../shared/errors';
import type { Engine } from './engine';
import { ProfileHost } from './profile-host';

// Browser host: the same React UI and the same API as the desktop app, on 127.0.0.1 only, behind a one-time
// token that arrives in the URL. Routes are generated from shared/api.ts through dispatch(). While it serves,
// the flows also run on their schedules (set on the Schedules screen), as they do in the desktop app. Settings
// may open another profile or move the data folder meanwhile (profile-host.ts): the host then owns the engine.

export interface ServeOptions {
  port?: number;
  staticDir: string;
  /** The OS app-data folder (where a moved data folder is recorded); omitted: the data folder cannot be moved from the UI. */
  appDataDir?: string;
}

export interface Served {
  url: string;
  token: string;
  /** The engine of the profile open now (another one after Settings → Open profile). */
  readonly engine: Engine;
  /** Stops serving and closes the open profile's engine. */
  close(): Promise<void>;
}

export async function serve(engine: Engine, opts: ServeOptions): Promise<Served> {
  const token = crypto.randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let origin = '';

  app.addHook('onRequest', async (req, reply) => {
    // Only our own origin: a page on another site that resolves a name to 127.0.0.1 (DNS rebinding) is refused.
    const host = req.headers.host ?? '';
    if (host !== new URL(origin).host && host !== new URL(origin).host.replace('127.0.0.1', 'localhost')) {
      return reply.code(421).send('Misdirected request');
    }
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      return reply.code(401).send({ ok: false, error: { code: 'unauthorized', message: 'This page was opened without its access key: open the address Ferry printed when it started.' } });
    }
    if (!isMethodName(req.params.method)) {
      return reply.code(404).send({ ok: false, error: { code: 'unknown_method', message: `Ferry has no "${req.params.method}" action.` } });
    }
    return host.call(req.params.method, req.body);
  });

  if (fs.existsSync(path.join(opts.staticDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(opts.staticDir), index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/plain').send('The Ferry UI has not been built yet. Run "npm run build:ui" in the Ferry folder, then start Ferry again.'),
    );
  }

  try {
    await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new FerryError('port_in_use', `Port ${opts.port} is already in use on this computer; choose another with --port, or --port 0 for a free one.`);
  }
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('browser host has no TCP address');
  origin = `http://127.0.0.1:${addr.port}`;
  // Created once listening: requests are answered only after this (no await lies between listen and here).
  const host = new ProfileHost(engine, { appDataDir: opts.appDataDir ?? null, schedules: true });
  return {
    url: `${origin}/?token=${token}`,
    token,
    get engine() {
      return host.engine;
    },
    close: async () => {
      await app.close();
      await host.close();
    },
  };
}
