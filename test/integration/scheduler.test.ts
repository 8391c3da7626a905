import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowNames, type RunListItem } from '../../shared/api';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { Scheduler, type SchedulerEvent } from '../../electron/engine/sync/scheduler';
import { tempDir } from '../helpers/temp';

// The scheduler on the real engine, the real encrypted store and the sandbox over HTTP, on the real clock:
// "every 1s" (seconds are for tests) so that several runs happen in a few seconds.

const flow = 'po-to-jaggaer';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;
let scheduler: Scheduler | undefined;
let events: SchedulerEvent[];

const runs = async (): Promise<RunListItem[]> => (await engine.handlers.listRuns({ flow, limit: 1000 })).runs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeEach(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: 30, seed: 7, tenants: ['FERRY_TST'] });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(tmp.dir, 'debug') });
  connectToSandbox(engine, sandbox);
  events = [];
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  engine.close();
  await sandbox.close();
  tmp.remove();
});

describe('the scheduler against the sandbox', () => {
  it('runs an "every 1s" flow again and again, never two runs at once; pause stops it, resume restarts it', async () => {
    await engine.handlers.setSchedule({ flow, spec: 'every 1s' });
    scheduler = new Scheduler(engine, { onEvent: (e) => events.push(e) });
    scheduler.start();

    await until('three scheduled runs', async () => (await runs()).filter((r) => r.finishedAt).length >= 3);
    const done = (await runs()).filter((r) => r.finishedAt).reverse();
    expect(done.every((r) => r.outcome === 'ok' && r.trigger === 'schedule')).toBe(true);
    expect(done[0]!.counts.created).toBeGreaterThan(20);
    expect(done[1]!.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    // [start, end] of consecutive runs never intersect, and at least the interval lies between them.
    for (let i = 1; i < done.length; i++) {
      expect(Date.parse(done[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(done[i - 1]!.finishedAt!) + 900);
    }

    const paused = await engine.handlers.setSchedule({ flow, paused: true });
    expect(paused).toMatchObject({ paused: true, nextRunAt: null, nextRun: 'paused: resume it to run on schedule' });
    await scheduler.idle();
    const atPause = (await runs()).length;
    await sleep(2_500);
    expect(await runs()).toHaveLength(atPause);

    const resumed = await engine.handlers.setSchedule({ flow, paused: false });
    expect(resumed.nextRun).toMatch(/^next run .* \(in 1 s\)$/);
    await until('a run after resuming', async () => (await runs()).filter((r) => r.finishedAt).length > atPause);
    expect(events.filter((e) => e.type !== 'run')).toEqual([]);
  });

  it('skips a slot while a person runs the same flow, instead of running it twice at once', async () => {
    const byHand = engine.handlers.runFlowNow({ flow, dryRun: false });
    await engine.handlers.setSchedule({ flow, spec: 'every 1s' });
    const row = (await engine.handlers.listSchedules({})).schedules.find((s) => s.flow === flow)!;
    scheduler = new Scheduler(engine, { onEvent: (e) => events.push(e), clock: { now: () => Date.parse(row.nextRunAt!) + 1, setTimeout: () => 0, clearTimeout: () => undefined } });
    await scheduler.tick();
    const manual = await byHand;
    expect(manual.outcome).toBe('ok');
    expect(events).toEqual([expect.objectContaining({ type: 'skipped', flow, reason: 'still running' })]);
    expect((await runs()).map((r) => r.trigger)).toEqual(['manual']);
  });

  it('lists schedules and runs through the API the UI uses', async () => {
    await engine.handlers.setSchedule({ flow, preset: 'nightly', timeZone: 'Europe/Berlin' });
    const mine = async () => (await engine.handlers.listSchedules({})).schedules.find((s) => s.flow === flow)!;
    const { schedules } = await engine.handlers.listSchedules({});
    // Every flow is listed, scheduled or not, so the UI can offer to schedule it.
    expect(schedules.map((s) => s.flow).sort()).toEqual([...flowNames].sort());
    expect(await mine()).toMatchObject({ flow, scheduled: true, preset: 'nightly', spec: '30 2 * * *', timeZone: 'Europe/Berlin', paused: false, lastRun: null });
    expect((await mine()).nextRun).toMatch(/^next run \w{3} \d{1,2} \w{3} 02:30 Europe\/Berlin \(in .+\)$/);
    await engine.runFlow(flow);
    const listed = await runs();
    expect(listed).toEqual([expect.objectContaining({ flow, outcome: 'ok', trigger: 'manual' })]);
    expect((await mine()).lastRun!.runId).toBe(listed[0]!.runId);
  });
});
