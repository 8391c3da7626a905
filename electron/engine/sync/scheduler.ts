import { flowNames, type FlowName, type RunSummary } from '../../../shared/api';
import { toErrorInfo } from '../../../shared/errors';
import type { Engine } from '../engine';
import { getScheduleRow, listScheduleRows, recordNextRun, recordScheduledStart, type ScheduleRow } from '../store/schedules';
import { onScheduleChange } from './schedule';
import { nextRunAfter, parseStored, type ParsedSpec } from './schedule-spec';

// The loop that runs flows when their schedule says so. The rules that keep it safe:
// - a flow never runs twice at once (one run in flight per flow here; the runner refuses any other);
// - a run that was missed (the computer slept, Ferry was not running, a run overran its slot) is made up
//   once, never once per missed slot: the next time is always counted from when the last run ended;
// - the table is the truth: every look reads it afresh, so a change made by another process (`ferry schedule
//   pause` while `ferry sync` runs) is seen within `maxSleepMs`, and one made in this process at once.

/** Time as the scheduler sees it; tests pass their own to step through hours in milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // Unref'd: a sleeping scheduler never keeps a process alive by itself; its host decides when to exit.
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type SchedulerEvent =
  | { type: 'run'; flow: FlowName; run: RunSummary; nextRunAt: string | null }
  | { type: 'skipped'; flow: FlowName; reason: string; nextRunAt: string | null }
  | { type: 'error'; flow: FlowName; message: string; nextRunAt: string | null }
  /** The wall clock moved by more than the timer did: positive after sleep, negative when set back. */
  | { type: 'clock'; jumpMs: number };

export interface SchedulerOptions {
  /** Only these flows (default: every flow that has a schedule). */
  flows?: readonly FlowName[];
  clock?: Clock;
  /** Longest sleep between looks at the table (default 30 s). */
  maxSleepMs?: number;
  /** How far a timer may fire from its wall-clock time before it counts as a clock jump (default 10 s). */
  jumpToleranceMs?: number;
  onEvent?: (e: SchedulerEvent) => void;
}

type Host = Pick<Engine, 'profile' | 'log' | 'runFlow'>;

interface Active {
  flow: FlowName;
  row: ScheduleRow;
  spec: ParsedSpec;
}

export class Scheduler {
  private readonly clock: Clock;
  private readonly flows: readonly FlowName[];
  private readonly maxSleepMs: number;
  private readonly jumpToleranceMs: number;
  private readonly inFlight = new Map<FlowName, Promise<SchedulerEvent>>();
  private readonly unreadable = new Set<string>();
  private timer: unknown = null;
  private expectedAt = 0;
  private started = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: Host,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.flows = opts.flows ?? flowNames;
    this.maxSleepMs = opts.maxSleepMs ?? 30_000;
    this.jumpToleranceMs = opts.jumpToleranceMs ?? 10_000;
  }

  /** Starts looking: flows already due (missed while Ferry was not running) run once straight away. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = onScheduleChange(this.host.profile.db, () => this.look());
    this.look();
  }

  /** Stops looking and waits for the runs in progress to finish (their records and cursors stay consistent). */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.disarm();
    await this.idle();
  }

  /** The flows running now. */
  get busy(): FlowName[] {
    return [...this.inFlight.keys()];
  }

  /** Resolves when the runs in progress now have finished. */
  async idle(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }

  /**
   * One look at the table: runs each due flow once, pulls back next times that a clock set back left too far
   * ahead, and sleeps until the next one. Resolves when the runs it started have finished.
   */
  async tick(): Promise<void> {
    const now = this.clock.now();
    const launched: Promise<SchedulerEvent>[] = [];
    for (const a of this.active()) {
      if (this.inFlight.has(a.flow)) continue;
      const at = a.row.nextRunAt === null ? null : Date.parse(a.row.nextRunAt);
      if (at !== null && at <= now) {
        launched.push(this.launch(a.flow, a));
        continue;
      }
      const fresh = nextRunAfter(a.spec, new Date(now));
      if (at === null || (fresh && at > fresh.getTime())) recordNextRun(this.host.profile.db, a.flow, fresh?.toISOString() ?? null, a.row);
    }
    this.arm();
    await Promise.all(launched);
  }

  /** "Run now": runs the flow at once through the same path, or says it is still running. */
  runNow(flow: FlowName): Promise<SchedulerEvent> {
    const running = this.inFlight.get(flow);
    if (running) return Promise.resolve({ type: 'skipped', flow, reason: 'still running', nextRunAt: getScheduleRow(this.host.profile.db, flow)?.nextRunAt ?? null });
    return this.launch(flow, this.active().find((a) => a.flow === flow) ?? null);
  }

  private look(): void {
    this.tick().catch((err: unknown) => this.host.log.error({ err }, 'the scheduler could not read the schedules'));
  }

  private active(): Active[] {
    const result: Active[] = [];
    for (const row of listScheduleRows(this.host.profile.db)) {
      if (row.paused || !(this.flows as readonly string[]).includes(row.flow)) continue;
      const spec = parseStored(row.spec, row.preset);
      if (spec) result.push({ flow: row.flow as FlowName, row, spec });
      else if (!this.unreadable.has(row.spec)) {
        this.unreadable.add(row.spec);
        this.host.log.warn({ flow: row.flow, spec: row.spec }, 'a schedule Ferry cannot read is ignored; set it again');
      }
    }
    return result;
  }

  private launch(flow: FlowName, scheduled: Active | null): Promise<SchedulerEvent> {
    const db = this.host.profile.db;
    if (scheduled) recordScheduledStart(db, flow, new Date(this.clock.now()).toISOString());
    const done = (async (): Promise<SchedulerEvent> => {
      let result: { run: RunSummary } | { skipped: string } | { error: string };
      try {
        result = { run: await this.host.runFlow(flow, { trigger: 'schedule' }) };
      } catch (err) {
        const info = toErrorInfo(err);
        if (info.code === 'internal') this.host.log.error({ err, flow }, 'a scheduled run could not start');
        // Someone started this flow by hand in this process: this slot is skipped, not queued behind it.
        result = info.code === 'already_running' ? { skipped: 'still running' } : { error: info.message };
      }
      let nextRunAt: string | null = null;
      try {
        nextRunAt = scheduled ? this.reschedule(flow, scheduled) : (getScheduleRow(db, flow)?.nextRunAt ?? null);
      } catch (err) {
        // The run itself is recorded; the old next time stays, so the flow is simply due again.
        this.host.log.error({ err, flow }, 'the next scheduled run could not be saved');
      }
      if ('run' in result) return { type: 'run', flow, run: result.run, nextRunAt };
      if ('skipped' in result) return { type: 'skipped', flow, reason: result.skipped, nextRunAt };
      return { type: 'error', flow, message: result.error, nextRunAt };
    })().then((event) => {
      this.inFlight.delete(flow);
      this.emit(event);
      this.arm();
      return event;
    });
    this.inFlight.set(flow, done);
    return done;
  }

  /** Counted from now, the end of the run; left alone when a person changed the schedule meanwhile. */
  private reschedule(flow: FlowName, a: Active): string | null {
    const next = nextRunAfter(a.spec, new Date(this.clock.now()))?.toISOString() ?? null;
    if (recordNextRun(this.host.profile.db, flow, next, a.row)) return next;
    return getScheduleRow(this.host.profile.db, flow)?.nextRunAt ?? null;
  }

  private arm(): void {
    this.disarm();
    if (!this.started) return;
    const now = this.clock.now();
    let wait = this.maxSleepMs;
    for (const a of this.active()) {
      if (this.inFlight.has(a.flow) || a.row.nextRunAt === null) continue;
      wait = Math.min(wait, Math.max(0, Date.parse(a.row.nextRunAt) - now));
    }
    this.expectedAt = now + wait;
    this.timer = this.clock.setTimeout(() => this.wake(), wait);
  }

  private wake(): void {
    this.timer = null;
    // Node's timers follow a monotonic clock that stands still while the computer sleeps, so after a sleep
    // the timer fires late by the wall clock: the due runs then run once (tick), however many slots passed.
    const drift = this.clock.now() - this.expectedAt;
    if (Math.abs(drift) > this.jumpToleranceMs) {
      this.host.log.info({ driftMs: drift }, drift > 0 ? 'the clock jumped ahead (the computer slept?): missed runs run once' : 'the clock was set back');
      this.emit({ type: 'clock', jumpMs: drift });
    }
    this.look();
  }

  private disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(e: SchedulerEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch (err) {
      this.host.log.error({ err }, 'a scheduler listener failed');
    }
  }
}
