import fs from 'node:fs';
import path from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerIdo } from './ido';
import { registerSso, TokenRegistry } from './ion';
import { registerJaggaer } from './jaggaer';
import { StateStore, type SandboxState } from './state';

// The built-in sandbox: ION's sign-in server, the ION gateway with CloudSuite Industrial behind it, and
// JAGGAER, each on its own 127.0.0.1 port like the separate hosts they are in real life.

export interface SandboxOptions {
  /** Where the sandbox keeps its world and writes the .ionapi and JAGGAER credential files. */
  dir: string;
  seed?: number;
  poCount?: number;
  tokenLifetimeSeconds?: number;
  port?: { sso?: number; gateway?: number; jaggaer?: number };
}

export interface SandboxInfo {
  tenant: string;
  mongooseConfig: string;
  endpoints: { sso: string; gateway: string; jaggaer: string };
  files: { ionapi: string; jaggaer: string; state: string };
}

export interface Sandbox extends SandboxInfo {
  readonly state: SandboxState;
  readonly stats: { idoRequests: number; poImports: number; tokensIssued: number };
  /** Change the world as a CloudSuite user would (tests and demos), then persist it. */
  mutate(change: (state: SandboxState) => void): void;
  close(): Promise<void>;
}

export interface JaggaerCredentialsFile {
  baseUrl: string;
  poImportPath: string;
  clientId: string;
  clientSecret: string;
  identity: string;
  sharedSecret: string;
}

async function listen(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('sandbox server has no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const store = StateStore.open(opts.dir, { seed: opts.seed ?? 20261121, poCount: opts.poCount ?? 24 });
  const tokens = new TokenRegistry(opts.tokenLifetimeSeconds ?? 3600);
  const counters = { idoRequests: 0, poImports: 0 };

  const sso = Fastify({ logger: false });
  await sso.register(formbody);
  registerSso(sso, store, tokens);

  const gateway = Fastify({ logger: false });
  registerIdo(gateway, store, tokens, counters);

  const jaggaer = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  await jaggaer.register(formbody);
  jaggaer.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  registerJaggaer(jaggaer, store, counters);

  const apps = [sso, gateway, jaggaer];
  try {
    const endpoints = {
      sso: await listen(sso, opts.port?.sso),
      gateway: await listen(gateway, opts.port?.gateway),
      jaggaer: await listen(jaggaer, opts.port?.jaggaer),
    };
    const files = writeConnectionFiles(opts.dir, store.state, endpoints);
    return {
      tenant: store.state.ion.tenant,
      mongooseConfig: store.state.ion.mongooseConfigs[0]!,
      endpoints,
      files: { ...files, state: store.file },
      get state() {
        return store.state;
      },
      stats: {
        get idoRequests() { return counters.idoRequests; },
        get poImports() { return counters.poImports; },
        get tokensIssued() { return tokens.issued; },
      },
      mutate(change) {
        change(store.state);
        store.save();
      },
      close: async () => {
        await Promise.all(apps.map((a) => a.close()));
      },
    };
  } catch (err) {
    await Promise.all(apps.map((a) => a.close()));
    throw err;
  }
}

/** What an Infor admin and a JAGGAER admin would hand over: a Backend Service .ionapi and JAGGAER credentials. */
function writeConnectionFiles(dir: string, s: SandboxState, e: SandboxInfo['endpoints']): { ionapi: string; jaggaer: string } {
  const ionapiFile = path.join(dir, `${s.ion.tenant}.ionapi`);
  const ionapi = {
    ti: s.ion.tenant,
    cn: 'Ferry sandbox backend',
    dt: '12',
    ci: s.ion.clientId,
    cs: s.ion.clientSecret,
    iu: e.gateway,
    pu: `${e.sso}/${s.ion.tenant}/as/`,
    oa: 'authorization.oauth2',
    ot: 'token.oauth2',
    or: 'revoke_token.oauth2',
    ev: s.ion.environment,
    v: '1.0',
    saak: s.ion.serviceAccountAccessKey,
    sask: s.ion.serviceAccountSecretKey,
  };
  fs.writeFileSync(ionapiFile, JSON.stringify(ionapi, null, 2), { mode: 0o600 });
  const jaggaerFile = path.join(dir, 'jaggaer.json');
  const creds: JaggaerCredentialsFile = {
    baseUrl: e.jaggaer,
    poImportPath: '/apps/Router/POXMLImport',
    clientId: s.jaggaer.clientId,
    clientSecret: s.jaggaer.clientSecret,
    identity: s.jaggaer.identity,
    sharedSecret: s.jaggaer.sharedSecret,
  };
  fs.writeFileSync(jaggaerFile, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return { ionapi: ionapiFile, jaggaer: jaggaerFile };
}
