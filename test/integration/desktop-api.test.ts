import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dispatch, type FerryApi } from '../../shared/api';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { loadConnection } from '../../electron/engine/store/connections';
import { closeWorld, openWorld, type World } from '../helpers/world';
import { tempDir } from '../helpers/temp';

// The API behind the Dashboard, Schedules, Settings and the setup wizard, through dispatch() as the renderer
// calls it (validation included), against the real engine, store and sandbox.

/** The renderer's typed client over dispatch(), as the browser host and the desktop app build it. */
const clientOf = (e: Engine): FerryApi => createClient((method, input) => dispatch(e.handlers, method, input));

let w: World;
beforeAll(async () => {
  w = await openWorld({ poCount: 20, seed: 3 });
}, 120_000);
afterAll(async () => closeWorld(w));

describe('Dashboard', () => {
  it('shows per flow the last run, what waits and why a flow is not set up, and 30 days of records', async () => {
    const before = await clientOf(w.engine).dashboard({});
    if (!before.ok) throw new Error(before.error.message);
    expect(before.value.flows.map((f) => f.flow)).toContain('worklog-to-gl');
    expect(before.value.days).toHaveLength(30);
    const run = await w.engine.runFlow('po-to-jaggaer');
    const after = await clientOf(w.engine).dashboard({});
    if (!after.ok) throw new Error(after.error.message);
    const po = after.value.flows.find((f) => f.flow === 'po-to-jaggaer')!;
    expect(po.lastRun?.runId).toBe(run.runId);
    expect(po.failuresWaiting).toBe(0);
    expect(after.value.days.at(-1)!.moved).toBe(run.counts.created + run.counts.updated);
    expect(after.value.cloudSuiteBudgetPerMinute).toBe(10_000);
    expect(after.value.banners).toEqual([]);
  });
});

describe('Schedules', () => {
  it('explains a schedule in words before it is saved, and refuses one it cannot keep', async () => {
    const ok = await clientOf(w.engine).explainSchedule({ spec: '0 7 * * 1-5' });
    if (!ok.ok) throw new Error(ok.error.message);
    expect(ok.value.description).toBe('cron "0 7 * * 1-5"');
    expect(ok.value.nextRuns).toHaveLength(3);
    for (const at of ok.value.nextRuns) expect([1, 2, 3, 4, 5]).toContain(new Date(at).getDay());
    const preset = await clientOf(w.engine).explainSchedule({ preset: 'nightly' });
    expect(preset.ok && preset.value.description).toMatch(/^nightly/);
    const bad = await clientOf(w.engine).explainSchedule({ spec: 'every 61 days' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toMatch(/not an interval Ferry can keep/);
  });

  it('reports the progress of a run while it runs', async () => {
    const seen: number[] = [];
    const running = w.engine.runFlow('invoice-to-jaggaer');
    for (let i = 0; i < 200; i++) {
      const p = await clientOf(w.engine).runProgress({});
      if (p.ok && p.value.running.some((r) => r.flow === 'invoice-to-jaggaer')) seen.push(i);
      if (seen.length > 0) break;
      await new Promise((r) => setImmediate(r));
    }
    await running;
    expect(seen.length).toBeGreaterThan(0);
    const done = await clientOf(w.engine).runProgress({});
    expect(done.ok && done.value.running).toEqual([]);
  });
});

describe('Settings', () => {
  it('shows the profile, its data folder and settings, and refuses a value it cannot use without storing anything', async () => {
    const s = await clientOf(w.engine).getSettings({});
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.profile).toBe('default');
    expect(s.value.dataDir).toBe(w.tmp.dir);
    expect(s.value.cloudSuiteRateLimitPerMinute).toBe(10_000);
    const short = await clientOf(w.engine).setSettings({ auditRetentionDays: 10 });
    expect(short.ok).toBe(false);
    const notPem = await clientOf(w.engine).setSettings({ network: { caCertificatePem: 'hello' } });
    expect(!notPem.ok && notPem.error.message).toMatch(/holds no PEM certificate/);
    const saved = await clientOf(w.engine).setSettings({ auditRetentionDays: 3650, cloudSuiteRateLimitPerMinute: 250, network: { proxyUrl: '' } });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value).toMatchObject({ auditRetentionDays: 3650, cloudSuiteRateLimitPerMinute: 250, network: { proxyUrl: '' } });
    const pem = `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n`;
    const ca = await clientOf(w.engine).setSettings({ network: { caCertificatePem: pem } });
    expect(ca.ok && ca.value.network.caCertificate).toBe('ca-certificates.pem');
    expect(fs.readFileSync(path.join(w.engine.profile.dir, 'ca-certificates.pem'), 'utf8')).toBe(pem);
    expect(fs.statSync(path.join(w.engine.profile.dir, 'ca-certificates.pem')).mode & 0o077).toBe(0);
    await clientOf(w.engine).setSettings({ network: { caCertificatePem: null, proxyUrl: null }, cloudSuiteRateLimitPerMinute: 10_000 });
  });
});

describe('the setup wizard', () => {
  it('lists the server’s Mongoose configurations, and saves credentials that never come back', async () => {
    const configs = await clientOf(w.engine).cloudSuiteConfigurations({});
    if (!configs.ok) throw new Error(configs.error.message);
    expect(configs.value.configurations).toContain(w.sandbox.mongooseConfig);

    const jira = await clientOf(w.engine).connectJira({ auth: 'pat', baseUrl: 'https://jira.example.com', personalAccessToken: 'pat-secret-123' });
    expect(jira.ok).toBe(true);
    const status = await clientOf(w.engine).status({});
    expect(JSON.stringify(status)).not.toContain('pat-secret-123');
    expect(loadConnection(w.engine.profile.db, w.engine.profile.sealKey, 'jira')!.secrets).toEqual({ personalAccessToken: 'pat-secret-123' });
    const bad = await clientOf(w.engine).connectJaggaer({ baseUrl: 'not a url', clientId: 'x', identity: 'y', clientSecret: 'z', sharedSecret: 'w' });
    expect(bad.ok).toBe(false);
  });

  it('"Try with sample data" starts the sandbox inside the engine and connects a new profile to it', { timeout: 120_000 }, async () => {
    const tmp = tempDir('ferry-sample-');
    const engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
    try {
      const started = await clientOf(engine).startSampleData({});
      if (!started.ok) throw new Error(started.error.message);
      expect(started.value.created).toBe(true);
      const again = await clientOf(engine).startSampleData({});
      expect(again.ok && again.value.created).toBe(false);
      const run = await engine.runFlow('po-to-jaggaer');
      expect(run.outcome).toBe('ok');
      expect(run.counts.created).toBeGreaterThan(0);
    } finally {
      engine.close();
      await new Promise((r) => setTimeout(r, 200));
      tmp.remove();
    }
  });
});
