import type { MethodName, RunSummary } from '../shared/api';
import { FerryError, type ErrorInfo, type Result } from '../shared/errors';
import { engineErrors, HostCalls, parseFromHost, type HostProgress, type ToHost } from './host-protocol';
import { RestartPolicy } from './restart-policy';

// Main's keeper of the engine host process. It starts the host (electron/engine-host.ts) with the key, forwards
// calls, and when the host stops unexpectedly answers the calls in flight with "restarted; try again" and starts
// a new one after a backoff. It does not know how a process is spawned (main passes utilityProcess.fork), so
// the unit tests drive it with a fake process.

export interface HostProcess {
  readonly pid: number | undefined;
  postMessage(message: ToHost): void;
  onMessage(listener: (data: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): boolean;
}

export type SupervisorEvent =
  | { type: 'ready'; pid: number; restarts: number }
  | { type: 'restarting'; code: number; delayMs: number }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'progress'; progress: HostProgress }
  | { type: 'run'; run: RunSummary };

export interface SupervisorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface SupervisorOptions {
  spawn(): HostProcess;
  /** The first message of each host: asked afresh at every start, so main never keeps the key between starts. */
  startMessage(): Promise<Extract<ToHost, { type: 'start' }>>;
  log: SupervisorLog;
  onEvent?(event: SupervisorEvent): void;
  policy?: RestartPolicy;
  timers?: Timers;
  /** How long a call waits for a host that is still opening the database (default 60 s). */
  startWaitMs?: number;
  /** How long `stop()` lets the host finish a run before ending it (default 15 s). */
  stopWaitMs?: number;
}

type State = 'starting' | 'ready' | 'down' | 'failed' | 'stopping' | 'stopped';

export class EngineSupervisor {
  private state: State = 'stopped';
  private current: HostProcess | null = null;
  private calls: HostCalls | null = null;
  private startedAt = 0;
  private restarts = 0;
  private failure: ErrorInfo | null = null;
  private restartTimer: unknown = null;
  private waiters: ((ready: boolean) => void)[] = [];
  private exited: (() => void) | null = null;
  private readonly policy: RestartPolicy;
  private readonly timers: Timers;

  constructor(private readonly opts: SupervisorOptions) {
    this.policy = opts.policy ?? new RestartPolicy();
    this.timers = opts.timers ?? realTimers;
  }

  /** The engine host's process id while one runs (evidence that the engine is not in main). */
  get hostPid(): number | null {
    return this.state === 'ready' ? (this.current?.pid ?? null) : null;
  }

  get status(): { state: State; error: ErrorInfo | null; restarts: number } {
    return { state: this.state, error: this.failure, restarts: this.restarts };
  }

  start(): void {
    if (this.state !== 'stopped' && this.state !== 'down') return;
    this.state = 'starting';
    this.failure = null;
    void this.launch();
  }

  call(method: MethodName, input: unknown): Promise<Result<unknown>> {
    return this.whenReady((calls) => calls.call(method, input));
  }

  /** Every flow set up in the profile, one after the other (the tray's "Run now → All flows"). */
  runAll(): Promise<Result<unknown>> {
    return this.whenReady((calls) => calls.runAll());
  }

  /** Asks the host to finish its runs and close the database; ends it after `waitMs` (default `stopWaitMs`). */
  async stop(waitMs = this.opts.stopWaitMs ?? 15_000): Promise<void> {
    if (this.restartTimer !== null) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const proc = this.current;
    this.state = 'stopping';
    this.flushWaiters(false);
    if (!proc) {
      this.state = 'stopped';
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.opts.log.warn({ pid: proc.pid }, 'the engine host did not stop in time; ending it');
        proc.kill();
        resolve();
      }, waitMs);
      this.exited = () => {
        this.timers.clearTimeout(timer);
        resolve();
      };
      try {
        proc.postMessage({ type: 'stop' });
      } catch {
        proc.kill();
      }
    });
    this.calls?.failAll(engineErrors.stopped);
    this.current = null;
    this.state = 'stopped';
  }

  private async whenReady(send: (calls: HostCalls) => Promise<Result<unknown>>): Promise<Result<unknown>> {
    if (this.state === 'starting') {
      const ready = await new Promise<boolean>((resolve) => {
        const timer = this.timers.setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, this.opts.startWaitMs ?? 60_000);
        const waiter = (ok: boolean) => {
          this.timers.clearTimeout(timer);
          resolve(ok);
        };
        this.waiters.push(waiter);
      });
      if (!ready) return { ok: false, error: this.errorForState(true) };
    }
    if (this.state !== 'ready' || !this.calls) return { ok: false, error: this.errorForState(false) };
    return send(this.calls);
  }

  private errorForState(waitedForStart: boolean): ErrorInfo {
    switch (this.state) {
      case 'starting':
        return engineErrors.starting;
      case 'failed':
        return this.failure ?? engineErrors.restarting;
      case 'stopping':
      case 'stopped':
        return engineErrors.stopped;
      default:
        return waitedForStart ? engineErrors.restarted : engineErrors.restarting;
    }
  }

  private flushWaiters(ready: boolean): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(ready);
  }

  private async launch(): Promise<void> {
    let start: Extract<ToHost, { type: 'start' }>;
    try {
      start = await this.opts.startMessage();
    } catch (err) {
      // No key (keychain locked or missing): a new host would not get further.
      const info = toInfo(err);
      this.fail(info);
      return;
    }
    if (this.state !== 'starting') {
      start.key.fill(0);
      return;
    }
    const proc = this.opts.spawn();
    this.current = proc;
    this.startedAt = this.timers.now();
    const calls = new HostCalls((message) => proc.postMessage(message));
    this.calls = calls;
    let failed: ErrorInfo | null = null;
    proc.onMessage((data) => {
      if (proc !== this.current) return;
      const msg = parseFromHost(data);
      if (!msg) {
        this.opts.log.warn({ pid: proc.pid }, 'the engine host sent a message Ferry does not understand');
        return;
      }
      switch (msg.type) {
        case 'ready':
          if (this.state !== 'starting') return;
          this.state = 'ready';
          this.opts.log.info({ hostPid: msg.pid, restarts: this.restarts }, 'the engine host answers');
          this.opts.onEvent?.({ type: 'ready', pid: msg.pid, restarts: this.restarts });
          this.flushWaiters(true);
          return;
        case 'failed':
          failed = msg.error;
          return;
        case 'result':
          calls.settle(msg.id, msg.result);
          return;
        case 'progress':
          this.opts.onEvent?.({ type: 'progress', progress: msg.progress });
          return;
        case 'run':
          this.opts.onEvent?.({ type: 'run', run: msg.run });
          return;
        case 'stopped':
          return;
      }
    });
    proc.onExit((code) => {
      if (proc !== this.current) return;
      if (this.state === 'stopping') {
        this.exited?.();
        this.exited = null;
        return;
      }
      this.current = null;
      if (failed) {
        calls.failAll(failed);
        this.fail(failed);
        return;
      }
      calls.failAll(engineErrors.restarted);
      const delayMs = this.policy.nextDelay(this.timers.now() - this.startedAt);
      this.restarts += 1;
      this.state = 'down';
      this.flushWaiters(false);
      this.opts.log.error({ code, pid: proc.pid, delayMs, restarts: this.restarts }, 'the engine host stopped unexpectedly; restarting it');
      this.opts.onEvent?.({ type: 'restarting', code, delayMs });
      this.restartTimer = this.timers.setTimeout(() => {
        this.restartTimer = null;
        this.start();
      }, delayMs);
    });
    try {
      proc.postMessage(start);
    } finally {
      // Structured clone copied the key into the message: main's copy goes now.
      start.key.fill(0);
    }
  }

  private fail(error: ErrorInfo): void {
    this.state = 'failed';
    this.failure = error;
    this.flushWaiters(false);
    this.opts.log.error({ code: error.code }, `the engine could not open the profile: ${error.message}`);
    this.opts.onEvent?.({ type: 'failed', error });
  }
}

/** Why the database key could not be had, in words for the person at the computer. */
function toInfo(err: unknown): ErrorInfo {
  if (err instanceof FerryError) return err.toInfo();
  const why = err instanceof Error ? err.message : String(err);
  return { code: 'db_key_unavailable', message: `Ferry could not unlock its database key (${why}). Sign in to your desktop session again, or ask your IT person to check the operating-system keychain.` };
}
