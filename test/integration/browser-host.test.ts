import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/api';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { serve, type Served } from '../../electron/engine/serve';
import { tempDir } from '../helpers/temp';

// The HTTP adapter generated from shared/api.ts: token, host check, validation and errors as data.

let tmp: ReturnType<typeof tempDir>;
let engine: Engine;
let sandbox: Sandbox;
let served: Served;
let staticDir: string;

beforeAll(async () => {
  tmp = tempDir();
  staticDir = path.join(tmp.dir, 'ui');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Ferry test UI</title>');
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), tenants: ['FERRY_TST'] });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
  connectToSandbox(engine, sandbox);
  served = await serve(engine, { staticDir });
});
afterAll(async () => {
  await served.close();
  await sandbox.close();
  engine.close();
  tmp.remove();
});

const origin = () => new URL(served.url).origin;
const call = (method: string, body: unknown, token = served.token) =>
  fetch(`${origin()}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('browser host', () => {
  it('listens on 127.0.0.1 with a token in the URL and serves the UI', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
    const page = await fetch(served.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ferry test UI');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses API calls without the token, with a wrong token, or for another host name', async () => {
    expect((await call('status', {}, 'wrong')).status).toBe(401);
    const none = await fetch(`${origin()}/api/status`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    // A DNS-rebinding page reaches 127.0.0.1 under its own name; the Host header gives it away.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${origin()}/api/status`, { method: 'POST', headers: { Host: 'evil.example', Authorization: `Bearer ${served.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('answers every method of shared/api.ts, and unknown ones with 404', async () => {
    const inputs: Record<string, unknown> = { status: {}, listAudit: { limit: 5 }, importIonapi: { fileName: 'x.ionapi', content: '{}' }, runFlowNow: { flow: 'po-to-jaggaer' }, testConnections: { system: 'jaggaer' } };
    for (const m of methodNames) {
      const res = await call(m, inputs[m] ?? {});
      expect(res.status, m).toBe(200);
      expect(typeof ((await res.json()) as { ok: boolean }).ok, m).toBe('boolean');
    }
    expect((await call('dropTables', {})).status).toBe(404);
  });

  it('returns errors as data: invalid input, and an .ionapi file Ferry cannot use, leaving the stored connection intact', async () => {
    const bad = (await (await call('listAudit', { limit: -1 })).json()) as { ok: boolean; error: { code: string; message: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(bad.error.message).toMatch(/limit/);

    const before = (await (await call('status', {})).json()) as { value: { connections: { label: string }[] } };
    const web = JSON.stringify({ ti: 'X', ci: 'X~1', cs: 's', iu: 'https://a.example', pu: 'https://b.example/X/as/', ot: 'token.oauth2', ru: 'https://cb.example' });
    const res = (await (await call('importIonapi', { fileName: 'web.ionapi', content: web })).json()) as { ok: boolean; error: { code: string; message: string } };
    expect(res).toMatchObject({ ok: false, error: { code: 'ionapi_invalid' } });
    expect(res.error.message).toMatch(/web application/);
    const after = (await (await call('status', {})).json()) as { value: { connections: { label: string }[] } };
    expect(after.value.connections).toEqual(before.value.connections);
  });

  it('refuses a port that is already taken with a sentence', async () => {
    const taken = Number(new URL(served.url).port);
    await expect(serve(engine, { staticDir, port: taken })).rejects.toThrow(/Port \d+ is already in use.*--port 0/);
  });

  it('runs a flow and lists what moved', async () => {
    const run = (await (await call('runFlowNow', { flow: 'po-to-jaggaer' })).json()) as { ok: boolean; value: { outcome: string; counts: { created: number } } };
    expect(run.ok).toBe(true);
    const audit = (await (await call('listAudit', { limit: 500 })).json()) as { value: { events: { action: string; targetKey: string | null }[] } };
    const created = audit.value.events.filter((e) => e.action === 'create');
    expect(created.length).toBe(Object.keys(sandbox.runtime().jaggaer.purchaseOrders).length);
    expect(created.every((e) => e.targetKey !== null)).toBe(true);
  });
});
