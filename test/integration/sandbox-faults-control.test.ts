import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { control, idoLoad, passwordToken } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// Fault profiles and the control endpoint, over real HTTP.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  token = await passwordToken(sandbox);
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const load = () => idoLoad(sandbox, token, 'SLVendors?properties=VendNum,Name');

describe('fault profiles', () => {
  it('injects errors by status at the configured rate, repeatably for a seed, with Retry-After where asked', async () => {
    const profile = { seed: 42, rules: [{ system: 'ido', path: '/load/', errorRate: { '503': 0.5 }, retryAfterSeconds: 3 }] };
    const run = async () => {
      await control(sandbox, 'PUT', '/control/faults', profile);
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await load();
        out.push(res.status);
        if (res.status === 503) expect(res.headers.get('retry-after')).toBe('3');
      }
      return out;
    };
    const first = await run();
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    expect(first.every((s) => s === 200 || s === 503)).toBe(true);
    expect(await run()).toEqual(first);
    // Other systems are untouched by an ido rule.
    const sso = await fetch(`${sandbox.endpoints.sso}/FERRY_TST/as/token.oauth2`, { method: 'POST' });
    expect(sso.status).not.toBe(503);
    await control(sandbox, 'DELETE', '/control/faults');
    expect((await load()).status).toBe(200);
  });

  it('resets connections, truncates bodies and slows them down', async () => {
    await control(sandbox, 'PUT', '/control/faults', { rules: [{ system: 'ido', resetRate: 1 }] });
    await expect(load()).rejects.toThrow();

    await control(sandbox, 'PUT', '/control/faults', { rules: [{ system: 'ido', truncateRate: 1 }] });
    await expect(load().then((r) => r.json())).rejects.toThrow();

    await control(sandbox, 'PUT', '/control/faults', { rules: [{ system: 'ido', slowBodyMs: 40 }] });
    const started = Date.now();
    const slow = await load();
    const body = (await slow.json()) as { Success: boolean; Items: unknown[] };
    expect(body.Success).toBe(true);
    expect(body.Items.length).toBe(sandbox.runtime().ido.rows('SLVendors').length);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    await control(sandbox, 'PUT', '/control/faults', { rules: [{ system: 'ido', latencyMs: { min: 150, max: 160 } }] });
    const t0 = Date.now();
    expect((await load()).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    const stats = await control<{ faultsInjected: Record<string, number> }>(sandbox, 'GET', '/control/stats');
    expect(stats.body.faultsInjected).toMatchObject({ reset: 1, truncate: 1, slow: 1 });
    await control(sandbox, 'DELETE', '/control/faults');
  });

  it('skews one system’s clock: new CloudSuite rows carry its time', async () => {
    await control(sandbox, 'PUT', '/control/faults', { rules: [], clockSkewMs: { ido: 3_600_000 } });
    const res = await control<{ cloudsuite: { created: string[] } }>(sandbox, 'POST', '/control/tenants/FERRY_TST/activity', { newPos: 1 });
    const po = sandbox.runtime().ido.find('SLPos', (p) => p.PoNum === res.body.cloudsuite.created[0])!;
    const recorded = Date.parse(po.RecordDate!.replace(/^(\d{4})(\d{2})(\d{2}) /, '$1-$2-$3T') + 'Z');
    // An hour ahead of the world's own (unskewed) clock.
    expect(recorded - sandbox.clock.now()).toBeGreaterThan(3_500_000);
    await control(sandbox, 'DELETE', '/control/faults');
  });

  it('refuses an invalid profile with 400 and keeps the current one', async () => {
    const bad = await control(sandbox, 'PUT', '/control/faults', { rules: [{ errorRate: { '999': 2 } }] });
    expect(bad.status).toBe(400);
    expect((await control<{ rules: unknown[] }>(sandbox, 'GET', '/control/faults')).body.rules).toEqual([]);
  });
});

describe('control endpoint', () => {
  it('requires its token', async () => {
    expect((await fetch(`${sandbox.control.url}/control/stats`)).status).toBe(401);
    expect((await fetch(`${sandbox.control.url}/control/stats`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('counts requests by system, endpoint and status', async () => {
    await control(sandbox, 'DELETE', '/control/stats');
    await load();
    await load();
    await idoLoad(sandbox, 'bad', 'SLPos');
    const stats = await control<{ requests: { system: string; route: string; status: number; count: number }[] }>(sandbox, 'GET', '/control/stats');
    const find = (status: number) => stats.body.requests.filter((r) => r.system === 'ido' && r.status === status).reduce((n, r) => n + r.count, 0);
    expect(find(200)).toBe(2);
    expect(find(401)).toBe(1);
    expect(stats.body.requests.find((r) => r.status === 200)!.route).toBe('/:tenant/CSI/IDORequestService/ido/load/:ido');
  });

  it('reads state, moves the clock, and adds activity that a filtered load then finds', async () => {
    const before = await control<{ now: string }>(sandbox, 'GET', '/control/clock');
    const after = await control<{ now: string }>(sandbox, 'POST', '/control/clock/advance', { ms: 86_400_000 });
    expect(Date.parse(after.body.now) - Date.parse(before.body.now)).toBeGreaterThanOrEqual(86_400_000);

    const activity = await control<{ cloudsuite: { created: string[]; changed: string[] } }>(sandbox, 'POST', '/control/tenants/FERRY_TST/activity', { newPos: 3, changedPos: 2 });
    expect(activity.status, JSON.stringify(activity.body)).toBe(200);
    expect(activity.body.cloudsuite.created).toHaveLength(3);
    expect(activity.body.cloudsuite.changed).toHaveLength(2);
    const inspect = await control<{ count: number; rows: { PoNum: string }[] }>(
      sandbox, 'GET', `/control/tenants/FERRY_TST/ido/SLPos?filter=${encodeURIComponent(`PoNum IN (${activity.body.cloudsuite.created.map((p) => `N'${p}'`).join(',')})`)}`,
    );
    expect(inspect.body.count).toBe(3);

    // Ferry-style polling sees exactly the new and changed POs since "just before" (a day later: new token).
    token = await passwordToken(sandbox);
    const since = new Date(Date.parse(after.body.now) - 1000).toISOString().replace('T', ' ').replace('Z', '');
    const res = await idoLoad(sandbox, token, `SLPos?properties=PoNum&filter=${encodeURIComponent(`RecordDate >= '${since}'`)}`);
    const loaded = (await res.json()) as { Success: boolean; Message: string | null; Items: { PoNum: string }[] };
    expect(loaded.Success, loaded.Message ?? '').toBe(true);
    const polled = loaded.Items.map((i) => i.PoNum).sort();
    expect(polled).toEqual([...activity.body.cloudsuite.created, ...activity.body.cloudsuite.changed].sort());

    expect((await control(sandbox, 'POST', '/control/tenants/NOPE/activity', {})).status).toBe(404);
    expect((await control(sandbox, 'POST', '/control/tenants/FERRY_TST/activity', { newPos: -1 })).status).toBe(400);
  });
});
