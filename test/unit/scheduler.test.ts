import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { listRuns } from '../../electron/engine/store/runs';
import { getScheduleRow } from '../../electron/engine/store/schedules';
import { setSchedule } from '../../electron/engine/sync/schedule';
import { Scheduler, type Clock, type SchedulerEvent } from '../../electron/engine/sync/scheduler';
import { tempDir } from '../helpers/temp';

// The scheduler's rules with a clock the test moves by hand: hours pass in milliseconds. The engine and its
// encrypted store are real; the profile has no connections, so each run ends at once as "could not run" —
// which is all these rules need (a run was started, recorded and rescheduled).

/** Time that moves only when told, with at most one pending timer (all the scheduler ever keeps). */
class HandClock implements Clock {
  private timers = new Map<number, { fn: () => void; at: number }>();
  private ids = 0;
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.ids, { fn, at: this.t + ms });
    return this.ids;
  };
  clearTimeout = (id: unknown) => void this.timers.delete(id as number);
  get pending() {
    return [...this.timers.values()];
  }
  /** The computer sleeps `ms` of wall-clock time, then the pending timer fires (late). */
  sleepThenFire(ms: number) {
    this.t += ms;
    const [id, timer] = [...this.timers.entries()][0]!;
    this.timers.delete(id);
    timer.fn();
  }
}

const flow = 'po-to-jaggaer';
const T0 = Date.parse('2025-11-24T08:00:00Z');
const MIN = 60_000;

let tmp: ReturnType<typeof tempDir>;
let engine: Engine;
let events: SchedulerEvent[];
let scheduler: Scheduler | undefined;

const runs = () => listRuns(engine.profile.db, { flows: [flow], limit: 100 });
const row = () => getScheduleRow(engine.profile.db, flow)!;
const make = (clock: Clock) => {
  scheduler = new Scheduler(engine, { clock, onEvent: (e) => events.push(e) });
  return scheduler;
};

beforeEach(async () => {
  tmp = tempDir();
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
  events = [];
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  engine.close();
  tmp.remove();
});

describe('missed runs', () => {
  it('a schedule whose next run passed 3 intervals ago runs exactly once, then the next is in the future', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    expect(row().nextRunAt).toBe(new Date(T0 + 15 * MIN).toISOString());

    // Ferry was not running for an hour: the 08:15 run and three more slots went by.
    const clock = new HandClock(T0 + 60 * MIN);
    const s = make(clock);
    await s.tick();
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ trigger: 'schedule', outcome: 'failed' });
    expect(row().lastRunAt).toBe(new Date(clock.t).toISOString());
    expect(Date.parse(row().nextRunAt!)).toBe(clock.t + 15 * MIN);
    expect(events.map((e) => e.type)).toEqual(['run']);

    await s.tick();
    expect(runs()).toHaveLength(1);
  });

  it('a cron schedule three slots behind runs once too', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'hourly', timeZone: 'UTC' }, new Date(T0));
    const clock = new HandClock(T0 + 3 * 60 * MIN + 20 * MIN);
    await make(clock).tick();
    expect(runs()).toHaveLength(1);
    expect(row().nextRunAt).toBe('2025-11-24T12:00:00.000Z');
  });

  it('on start, a due flow runs once straight away', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const clock = new HandClock(T0 + 6 * 60 * MIN);
    const s = make(clock);
    s.start();
    expect(s.busy).toEqual([flow]);
    await s.idle();
    expect(runs()).toHaveLength(1);
    // Sleeping until the next look: never longer than the cap, so another process's changes are seen.
    expect(clock.pending).toHaveLength(1);
    expect(clock.pending[0]!.at - clock.t).toBe(30_000);
  });

  it('after the computer sleeps (a clock jump), due runs run once and the jump is reported', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const clock = new HandClock(T0);
    const s = make(clock);
    s.start();
    await s.idle();
    expect(runs()).toHaveLength(0);

    clock.sleepThenFire(3 * 60 * MIN);
    await s.idle();
    expect(events.map((e) => e.type)).toEqual(['clock', 'run']);
    expect((events[0] as { jumpMs: number }).jumpMs).toBe(3 * 60 * MIN - 30_000);
    expect(runs()).toHaveLength(1);
    expect(Date.parse(row().nextRunAt!)).toBe(clock.t + 15 * MIN);
  });

  it('pulls a next run back when the clock was set back', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const clock = new HandClock(T0 - 5 * 60 * MIN);
    await make(clock).tick();
    expect(runs()).toHaveLength(0);
    expect(Date.parse(row().nextRunAt!)).toBe(clock.t + 15 * MIN);
  });
});

describe('one run at a time, and a person’s changes win', () => {
  it('"run now" while a scheduled run is in progress says so instead of starting a second', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const s = make(new HandClock(T0 + 20 * MIN));
    const tick = s.tick();
    expect(await s.runNow(flow)).toMatchObject({ type: 'skipped', reason: 'still running' });
    await tick;
    expect(runs()).toHaveLength(1);
    expect(await s.runNow(flow)).toMatchObject({ type: 'run', flow });
    expect(runs()).toHaveLength(2);
  });

  it('a pause made during a run is not undone when the run ends', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const clock = new HandClock(T0 + 20 * MIN);
    const tick = make(clock).tick();
    setSchedule(engine.profile.db, { flow, paused: true }, new Date(clock.t));
    await tick;
    expect(row()).toMatchObject({ paused: true, nextRunAt: null });
  });

  it('a paused flow does not run however late it is; resuming counts from now', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    setSchedule(engine.profile.db, { flow, paused: true }, new Date(T0));
    const clock = new HandClock(T0 + 5 * 60 * MIN);
    const s = make(clock);
    await s.tick();
    expect(runs()).toHaveLength(0);
    setSchedule(engine.profile.db, { flow, paused: false }, new Date(clock.t));
    await s.tick();
    expect(runs()).toHaveLength(0);
    expect(Date.parse(row().nextRunAt!)).toBe(clock.t + 15 * MIN);
  });

  it('stop clears its timer and waits for the run in progress', async () => {
    setSchedule(engine.profile.db, { flow, spec: 'every 15m' }, new Date(T0));
    const clock = new HandClock(T0 + 20 * MIN);
    const s = make(clock);
    s.start();
    expect(s.busy).toEqual([flow]);
    await s.stop();
    expect(s.busy).toEqual([]);
    expect(runs()[0]!.finishedAt).not.toBeNull();
    expect(clock.pending).toHaveLength(0);
  });
});

describe('setSchedule', () => {
  it('refuses unclear changes with a sentence', () => {
    const db = engine.profile.db;
    expect(() => setSchedule(db, { flow, paused: true })).toThrow('po-to-jaggaer has no schedule yet: choose one first, such as the preset "business-hours".');
    expect(() => setSchedule(db, { flow })).toThrow('Say what to change: a schedule (a preset, an interval or a cron expression), or pause or resume it.');
    expect(() => setSchedule(db, { flow, spec: '0 6 * * 1', preset: 'nightly' })).toThrow('Give either a preset or a schedule of your own, not both.');
    expect(() => setSchedule(db, { flow, spec: '99 * * * *' })).toThrow(/^"99 \* \* \* \*" is not a schedule Ferry understands/);
  });

  it('changes the time zone alone, keeping the preset', () => {
    const db = engine.profile.db;
    setSchedule(db, { flow, preset: 'business-hours' }, new Date(T0));
    const s = setSchedule(db, { flow, timeZone: 'America/Chicago' }, new Date(T0));
    expect(s).toMatchObject({ preset: 'business-hours', spec: '*/15 7-18 * * 1-5', timeZone: 'America/Chicago', nextRunAt: '2025-11-24T13:00:00.000Z' });
    expect(row().spec).toBe('CRON_TZ=America/Chicago */15 7-18 * * 1-5');
  });
});
