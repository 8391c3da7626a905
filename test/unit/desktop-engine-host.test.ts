import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/engine/log';
import { createHostServer, fixedKeyProvider } from '../../electron/host-server';
import { HostCalls, parseFromHost, ToHost, type FromHost } from '../../electron/host-protocol';
import { openProfile } from '../../electron/engine/store/profile';
import { seedAudit } from '../helpers/seed-audit';
import { tempDir } from '../helpers/temp';

// The engine host's message protocol under plain Node: main's numbering of calls, the host's framing of
// results, the key arriving in the first message, and a host that cannot open the profile.

describe('HostCalls (main’s side)', () => {
  it('numbers calls, matches each result to its call, and ignores results nobody waits for', async () => {
    const sent: ToHost[] = [];
    const calls = new HostCalls((m) => sent.push(m));
    const a = calls.call('status', {});
    const b = calls.call('listRuns', { limit: 5 });
    expect(sent.map((m) => m.type === 'call' && [m.id, m.method])).toEqual([
      [1, 'status'],
      [2, 'listRuns'],
    ]);
    expect(calls.settle(2, { ok: true, value: 'runs' })).toBe(true);
    expect(calls.settle(2, { ok: true, value: 'again' })).toBe(false);
    expect(calls.settle(1, { ok: false, error: { code: 'x', message: 'no' } })).toBe(true);
    expect(await b).toEqual({ ok: true, value: 'runs' });
    expect(await a).toEqual({ ok: false, error: { code: 'x', message: 'no' } });
    expect(calls.size).toBe(0);
  });

  it('answers every waiting call with the given error when the host is gone', async () => {
    const calls = new HostCalls(() => undefined);
    const waiting = [calls.call('status', {}), calls.runAll()];
    calls.failAll({ code: 'engine_restarted', message: 'Ferry’s sync engine restarted; try again.' });
    for (const r of await Promise.all(waiting)) expect(r).toEqual({ ok: false, error: { code: 'engine_restarted', message: 'Ferry’s sync engine restarted; try again.' } });
  });
});

describe('messages', () => {
  it('refuses a start message whose key is not 32 bytes, and calls to methods that do not exist', () => {
    expect(ToHost.safeParse({ type: 'start', dataDir: '/x', profile: 'default', key: new Uint8Array(31), schedules: false }).success).toBe(false);
    expect(ToHost.safeParse({ type: 'start', dataDir: '/x', profile: 'default', key: 'a'.repeat(64), schedules: false }).success).toBe(false);
    expect(ToHost.safeParse({ type: 'call', id: 1, method: 'dropDatabase', input: {} }).success).toBe(false);
    expect(ToHost.safeParse({ type: 'call', id: 1, method: 'status', input: {} }).success).toBe(true);
  });

  it('reads only well-formed messages from the host', () => {
    expect(parseFromHost({ type: 'ready', pid: 42 })).toEqual({ type: 'ready', pid: 42 });
    expect(parseFromHost({ type: 'result', id: 3, result: { ok: true, value: [1] } })).toEqual({ type: 'result', id: 3, result: { ok: true, value: [1] } });
    expect(parseFromHost({ type: 'result', id: 3 })).toBeNull();
    expect(parseFromHost('ready')).toBeNull();
  });

  it('hands the key over once and wipes the copy it was given', async () => {
    const key = new Uint8Array(32).fill(9);
    const provider = fixedKeyProvider(key);
    const got = await provider.getKey();
    expect([...got]).toEqual(new Array(32).fill(9));
    expect([...key]).toEqual(new Array(32).fill(0));
  });
});

describe('the engine host (real engine, temp folder)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  function host() {
    const posted: FromHost[] = [];
    const exits: number[] = [];
    const server = createHostServer({ post: (m) => posted.push(m), exit: (c) => exits.push(c), logger: () => createLogger(null) });
    return { server, posted, exits };
  }

  it('opens the engine with the key from its first message, answers calls by id, runs all flows, and stops', async () => {
    const tmp = tempDir('ferry-host-');
    cleanups.push(tmp.remove);
    const { server, posted, exits } = host();
    await server.handle({ type: 'start', dataDir: tmp.dir, profile: 'default', key: new Uint8Array(32).fill(1), schedules: false });
    expect(posted[0]).toEqual({ type: 'ready', pid: process.pid });

    await server.handle({ type: 'call', id: 7, method: 'status', input: {} });
    const status = posted.find((m): m is Extract<FromHost, { type: 'result' }> => m.type === 'result' && m.id === 7)!;
    expect(status.result.ok).toBe(true);
    expect((status.result as { value: { profile: string } }).value.profile).toBe('default');

    // Input is validated by dispatch() in the host: a bad one is an error result, not a crash.
    await server.handle({ type: 'call', id: 8, method: 'listRuns', input: { limit: -1 } });
    const bad = posted.find((m) => m.type === 'result' && m.id === 8) as Extract<FromHost, { type: 'result' }>;
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    // Nothing is connected: the JAGGAER flows run and say why they could not; the Jira flows are left out.
    await server.handle({ type: 'runAll', id: 9 });
    const all = posted.find((m) => m.type === 'result' && m.id === 9) as Extract<FromHost, { type: 'result' }>;
    const value = (all.result as { ok: true; value: { runs: { flow: string; outcome: string }[]; skipped: { flow: string }[] } }).value;
    expect(value.runs.map((r) => r.flow)).toEqual(['po-to-jaggaer', 'invoice-to-cloudsuite', 'invoice-to-jaggaer', 'supplier-sync']);
    expect(value.runs.every((r) => r.outcome === 'failed')).toBe(true);
    expect(value.skipped.map((s) => s.flow)).toEqual(['po-to-jira', 'worklog-to-gl', 'jira-webhooks']);
    expect(posted.filter((m) => m.type === 'run')).toHaveLength(4);

    await server.handle({ type: 'stop' });
    expect(posted.at(-1)).toEqual({ type: 'stopped' });
    expect(exits).toEqual([0]);

    // The database it opened is really encrypted with that key: the same key opens it again, another does not.
    const again = host();
    await again.server.handle({ type: 'start', dataDir: tmp.dir, profile: 'default', key: new Uint8Array(32).fill(1), schedules: false });
    expect(again.posted[0]?.type).toBe('ready');
    await again.server.handle({ type: 'stop' });
    const wrong = host();
    await wrong.server.handle({ type: 'start', dataDir: tmp.dir, profile: 'default', key: new Uint8Array(32).fill(2), schedules: false });
    expect(wrong.posted[0]?.type).toBe('failed');
    expect(wrong.exits).toEqual([2]);
  });

  it('lets a call the window made finish before it stops, so nothing reads a database that closed under it', async () => {
    const tmp = tempDir('ferry-host-');
    cleanups.push(tmp.remove);
    const seeded = await openProfile(tmp.dir, 'default', fixedKeyProvider(new Uint8Array(32).fill(3)));
    seedAudit(seeded.db, { count: 20_000, runSize: 500, days: 30, endAt: new Date('2026-11-20T12:00:00Z'), seed: 3 });
    seeded.close();
    const { server, posted } = host();
    await server.handle({ type: 'start', dataDir: tmp.dir, profile: 'default', key: new Uint8Array(32).fill(3), schedules: false });
    // A whole-trail check works in slices with the event loop free between them: the stop arrives mid-check.
    const verifying = server.handle({ type: 'call', id: 1, method: 'verifyAudit', input: { full: true } });
    await new Promise((r) => setImmediate(r));
    await server.handle({ type: 'stop' });
    await verifying;
    const types = posted.map((m) => m.type);
    expect(types.indexOf('result')).toBeGreaterThan(-1);
    expect(types.indexOf('result')).toBeLessThan(types.indexOf('stopped'));
    const result = posted.find((m): m is Extract<FromHost, { type: 'result' }> => m.type === 'result')!;
    expect(result.result).toMatchObject({ ok: true, value: { ok: true, checked: 20_000 } });
  });

  it('says it cannot start when its start message is not one, instead of leaving main waiting', async () => {
    const { server, posted, exits } = host();
    await server.handle({ type: 'start', dataDir: '/x', profile: 'default', key: Array.from({ length: 32 }, () => 1), schedules: false });
    expect(posted).toEqual([{ type: 'failed', error: { code: 'engine_protocol', message: expect.stringContaining('key') } }]);
    expect(exits).toEqual([2]);
  });

  it('ignores messages that are not part of the protocol, and answers a call that comes before the start', async () => {
    const { server, posted } = host();
    await server.handle('status');
    await server.handle(null);
    await server.handle({ type: 'call', id: 'one', method: 'status', input: {} });
    expect(posted).toEqual([]);
    await server.handle({ type: 'call', id: 1, method: 'status', input: {} });
    expect(posted).toEqual([{ type: 'result', id: 1, result: { ok: false, error: { code: 'engine_stopped', message: 'Ferry’s sync engine is not running.' } } }]);
  });
});
