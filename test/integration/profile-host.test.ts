import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../shared/api';
import { resolveDataDir } from '../../electron/engine/data-folder';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { lastProfile } from '../../electron/engine/profiles';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { serve, type Served } from '../../electron/engine/serve';
import { setMapping } from '../../electron/engine/store/mappings';
import { tempDir } from '../helpers/temp';

// Settings → Profiles / Data folder through the browser host, over real HTTP: the host closes the open
// profile (after its runs) and opens the next; calls made meanwhile wait instead of reaching a closed database.

const log = createLogger(null);
let appData: ReturnType<typeof tempDir>;
let elsewhere: ReturnType<typeof tempDir>;
let sandboxDir: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let served: Served;

beforeAll(async () => {
  appData = tempDir();
  elsewhere = tempDir();
  sandboxDir = tempDir();
  const staticDir = path.join(appData.dir, 'ui-not-built');
  sandbox = await startSandbox({ dir: sandboxDir.dir, tenants: ['FERRY_TST'] });
  const engine = await Engine.open({ dataDir: appData.dir, log });
  connectToSandbox(engine, sandbox);
  setMapping(engine.profile.db, 'supplier', 'V-KEEP', { supplierNumber: 'S-KEEP' }, null);
  served = await serve(engine, { staticDir, appDataDir: appData.dir });
});
afterAll(async () => {
  await served.close();
  await sandbox.close();
  for (const t of [appData, elsewhere, sandboxDir]) t.remove();
});

async function call<T = unknown>(method: string, body: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  const res = await fetch(`${new URL(served.url).origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as never;
}
async function settings(): Promise<AppSettings> {
  const s = await call<AppSettings>('getSettings', {});
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}
const supplierKeys = async () => {
  const r = await call<{ mappings: { key: string }[] }>('listMappings', { kind: 'supplier' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.mappings.map((m) => m.key);
};

describe('profiles in the browser host', () => {
  it('creates a named profile and opens it; the run in progress finishes first and calls made meanwhile are answered', async () => {
    const run = call<{ outcome: string; counts: { created: number } }>('runFlowNow', { flow: 'po-to-jaggaer' });
    // The switch is asked for while the run is under way.
    for (let i = 0; i < 500; i++) {
      const p = await call<{ running: { flow: string }[] }>('runProgress', {});
      if (p.ok && p.value.running.some((r) => r.flow === 'po-to-jaggaer')) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const switched = call('openProfile', { name: 'TST', create: true, label: 'Test' });
    const meanwhile = Array.from({ length: 5 }, () => call('status', {}));
    const [ran, opened, ...answers] = await Promise.all([run, switched, ...meanwhile]);

    expect(ran.ok && ran.value.outcome).not.toBe('failed');
    expect(ran.ok && ran.value.counts.created).toBeGreaterThan(0);
    expect(opened).toEqual({ ok: true, value: { profile: 'TST', created: true } });
    for (const a of answers) expect(a.ok).toBe(true);
    const s = await settings();
    expect(s).toMatchObject({ profile: 'TST', profileLabel: 'Test', dataDir: appData.dir, dataDirLocked: null });
    expect(s.profiles).toEqual([
      { name: 'default', label: null },
      { name: 'TST', label: 'Test' },
    ]);
    expect(served.engine.profile.name).toBe('TST');
    expect(await supplierKeys()).toEqual([]); // a new, empty database
    expect(lastProfile(appData.dir)).toBe('TST'); // `ferry serve` and the desktop app reopen it next time
  });

  it('refuses a bad name, an existing name and an unknown profile with a sentence, and stays on the open one', async () => {
    const bad = await call('openProfile', { name: 'T S T', create: true });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid_input' });
    expect(!bad.ok && bad.error.message).toMatch(/letters, digits/);
    const twice = await call('openProfile', { name: 'TST', create: true });
    expect(!twice.ok && twice.error.code).toBe('profile_exists');
    const unknown = await call('openProfile', { name: 'QA', create: false });
    expect(!unknown.ok && unknown.error.message).toMatch(/no profile called QA/);
    expect((await settings()).profile).toBe('TST');
    expect(fs.existsSync(path.join(appData.dir, 'profiles', 'QA'))).toBe(false);
  });

  it('opens the first profile again with its data as it was', async () => {
    expect(await call('openProfile', { name: 'default' })).toEqual({ ok: true, value: { profile: 'default', created: false } });
    expect(await supplierKeys()).toEqual(['V-KEEP']);
    const runs = await call<{ runs: { flow: string }[] }>('listRuns', { limit: 5 });
    expect(runs.ok && runs.value.runs.map((r) => r.flow)).toContain('po-to-jaggaer');
  });
});

describe('a profile on sample data', () => {
  it('gets its sandbox back whenever it is opened again, so its flows still run', { timeout: 120_000 }, async () => {
    expect((await call('openProfile', { name: 'SAMPLE', create: true })).ok).toBe(true);
    const started = await call<{ created: boolean }>('startSampleData', {});
    expect(started.ok && started.value.created).toBe(true);
    const first = await call<{ outcome: string }>('runFlowNow', { flow: 'po-to-jaggaer' });
    expect(first.ok && first.value.outcome).toBe('ok');

    expect((await call('openProfile', { name: 'default' })).ok).toBe(true); // the sandbox stops with SAMPLE's engine
    expect((await call('openProfile', { name: 'SAMPLE' })).ok).toBe(true);
    const again = await call<{ outcome: string; error: string | null }>('runFlowNow', { flow: 'po-to-jaggaer' });
    expect(again.ok && again.value).toMatchObject({ outcome: 'ok', error: null });
    expect((await call('openProfile', { name: 'default' })).ok).toBe(true);
  });
});

describe('moving the data folder in the browser host', () => {
  it('refuses a target it cannot use and keeps working where it was', async () => {
    const relative = await call('moveDataFolder', { to: 'somewhere' });
    expect(!relative.ok && relative.error.message).toMatch(/full path/);
    fs.mkdirSync(path.join(elsewhere.dir, 'taken', 'profiles'), { recursive: true });
    const taken = await call('moveDataFolder', { to: path.join(elsewhere.dir, 'taken') });
    expect(!taken.ok && taken.error.message).toMatch(/already holds Ferry data/);
    expect((await settings()).dataDir).toBe(appData.dir);
    expect(await supplierKeys()).toEqual(['V-KEEP']);
  });

  it('moves every profile, reopens the open one from there, and later starts find it through the app-data folder', async () => {
    const to = path.join(elsewhere.dir, 'Ferry');
    const moved = await call<{ dataDir: string; files: number; bytes: number; leftBehind: string[] }>('moveDataFolder', { to });
    if (!moved.ok) throw new Error(moved.error.message);
    expect(moved.value).toMatchObject({ dataDir: to, leftBehind: [] });
    expect(moved.value.bytes).toBeGreaterThan(0);
    const s = await settings();
    expect(s).toMatchObject({ dataDir: to, profile: 'default' });
    expect(s.profiles.map((p) => p.name)).toEqual(['default', 'SAMPLE', 'TST']);
    expect(await supplierKeys()).toEqual(['V-KEEP']);
    expect(fs.existsSync(path.join(appData.dir, 'profiles'))).toBe(false);
    expect(resolveDataDir(appData.dir, {})).toBe(to);
    // Schedules and runs go on from the new place.
    const ran = await call<{ outcome: string }>('runFlowNow', { flow: 'po-to-jaggaer' });
    expect(ran.ok && ran.value.outcome).not.toBe('failed');
  });

  it('is refused, with what to do instead, when the folder was chosen by FERRY_DATA_DIR or --data-dir', async () => {
    const fixed = tempDir();
    const engine = await Engine.open({ dataDir: fixed.dir, log, dataDirLocked: 'This data folder was chosen with the --data-dir option; move it yourself.' });
    const other = await serve(engine, { staticDir: fixed.dir });
    try {
      const res = await fetch(`${new URL(other.url).origin}/api/moveDataFolder`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${other.token}` },
        body: JSON.stringify({ to: path.join(fixed.dir, '..', 'x') }),
      });
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body.error).toEqual({ code: 'data_dir_locked', message: 'This data folder was chosen with the --data-dir option; move it yourself.' });
      expect(fs.existsSync(path.join(fixed.dir, 'profiles', 'default', 'ferry.db'))).toBe(true);
    } finally {
      await other.close();
      fixed.remove();
    }
  });
});
