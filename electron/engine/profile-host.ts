import { dispatch, isHostMethod, type HostHandlers, type MethodName } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { FerryError } from '../../shared/errors';
import { moveDataFolder } from './data-folder';
import { Engine } from './engine';
import { checkProfileChoice, rememberProfile } from './profiles';
import { resumeSampleData } from './setup-api';
import { Scheduler } from './sync/scheduler';

// The browser host's open profile. One profile is open at a time, with its schedules running; "Open profile"
// and "Move data folder" (Settings) close it and open the next. Calls that arrive meanwhile wait for the
// switch, so none reaches a closed database. The desktop shell does the same with its engine process
// (electron/main.ts): there the engine runs in another process, which is restarted instead.

export interface ProfileHostOptions {
  /** The OS app-data folder whose location.json points to a moved data folder; null: moving is not offered. */
  appDataDir: string | null;
  /** Run the flows on their schedules while serving (the browser host does). */
  schedules: boolean;
}

export class ProfileHost {
  private scheduler: Scheduler | null = null;
  private switching: Promise<unknown> = Promise.resolve();

  constructor(
    private current: Engine,
    private readonly opts: ProfileHostOptions,
  ) {
    rememberProfile(current.dataDir, current.profile.name);
    this.startSchedules();
    this.switching = this.resumeSampleData(current);
  }

  get engine(): Engine {
    return this.current;
  }

  /** One API call: host methods here, every other to the open profile's engine. */
  async call(method: MethodName, input: unknown): Promise<Result<unknown>> {
    await this.switching;
    const engine = this.current;
    if (isHostMethod(method)) return dispatch(this.handlers, method, input, (err) => engine.log.error({ err, method }, 'API call failed'));
    const call = dispatch(engine.handlers, method, input, (err) => engine.log.error({ err, method }, 'API call failed'));
    this.answering.add(call);
    return call.finally(() => this.answering.delete(call));
  }

  /** Engine calls being answered: a switch waits for them, so none reads a database that closed under it. */
  private readonly answering = new Set<Promise<Result<unknown>>>();

  readonly handlers: HostHandlers = {
    openProfile: (input) =>
      this.exclusive(async () => {
        const { dataDir, log, dataDirLocked } = this.current;
        checkProfileChoice(dataDir, input, this.current.profile.name);
        // The next profile opens before the current one closes: if it cannot be opened, nothing changes.
        const next = await Engine.open({ dataDir, profile: input.name, log, dataDirLocked });
        if (input.label) await next.handlers.setSettings({ profileLabel: input.label });
        await this.closeCurrent();
        this.current = next;
        rememberProfile(dataDir, input.name);
        await this.resumeSampleData(next);
        this.startSchedules();
        log.info({ profile: input.name, created: input.create }, 'profile opened');
        return { profile: input.name, created: input.create };
      }),
    moveDataFolder: ({ to }) =>
      this.exclusive(async () => {
        const { dataDir, log, dataDirLocked, profile } = this.current;
        if (dataDirLocked) throw new FerryError('data_dir_locked', dataDirLocked);
        if (!this.opts.appDataDir) throw new FerryError('data_dir_locked', 'Ferry cannot move this data folder from here; use the desktop app or "ferry serve".');
        await this.closeCurrent();
        let movedTo = dataDir;
        try {
          const result = await moveDataFolder({ from: dataDir, to, appDataDir: this.opts.appDataDir });
          movedTo = result.dataDir;
          log.info({ from: dataDir, to: movedTo, files: result.files, bytes: result.bytes }, 'data folder moved');
          return result;
        } finally {
          // Moved or not, the same profile opens again: from the new folder, or (after a failure) the old one.
          this.current = await Engine.open({ dataDir: movedTo, profile: profile.name, log, dataDirLocked });
          await this.resumeSampleData(this.current);
          this.startSchedules();
        }
      }),
  };

  async close(): Promise<void> {
    await this.switching;
    await this.closeCurrent();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.switching.then(fn);
    this.switching = run.catch(() => undefined);
    return run;
  }

  /** A profile on sample data gets its sandbox back (calls wait for it); a sandbox that cannot start is logged. */
  private async resumeSampleData(engine: Engine): Promise<void> {
    await resumeSampleData(engine).catch((err: unknown) => engine.log.warn({ err }, 'the sample-data sandbox could not start again'));
  }

  private startSchedules(): void {
    if (!this.opts.schedules) return;
    this.scheduler = new Scheduler(this.current);
    this.scheduler.start();
  }

  /** Lets the runs in progress finish, then closes the database. */
  private async closeCurrent(): Promise<void> {
    await this.scheduler?.stop();
    this.scheduler = null;
    await this.current.idle();
    await Promise.allSettled([...this.answering]);
    await this.current.closeAndWait();
  }
}
