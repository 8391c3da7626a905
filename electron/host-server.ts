import { dispatch, flowNames, RunSummary, type MethodName } from '../shared/api';
import { toErrorInfo, type Result } from '../shared/errors';
import { Engine } from './engine/engine';
import { flowNotReady } from './engine/flows/registry';
import { createLogger, type Logger } from './engine/log';
import type { KeyProvider } from './engine/store/keys';
import { resumeSampleData } from './engine/setup-api';
import { Scheduler } from './engine/sync/scheduler';
import { startReceiverForHost } from './engine/sync/webhook-receiver-host';
import { ToHost, type FromHost, type RunAllResult } from './host-protocol';

// The engine host's side of the protocol (electron/host-protocol.ts), without Electron: electron/engine-host.ts
// connects it to process.parentPort, and the unit tests to a plain function. One engine per host process.

export interface HostServerOptions {
  post(message: FromHost): void;
  /** Ends the host process (after `stop`, or when the engine could not open). */
  exit(code: number): void;
  /** Tests open the engine without a log file. */
  logger?: (dataDir: string) => Logger;
  /** A message that is not part of the protocol (a bug in main): said where someone will see it. */
  onInvalid?: (problem: string) => void;
}

export interface HostServer {
  /** One message from main; resolves when it has been handled (calls may run concurrently). */
  handle(raw: unknown): Promise<void>;
}

/** The key main unwrapped, handed to the engine once and then wiped from this side. */
export function fixedKeyProvider(key: Uint8Array): KeyProvider {
  return {
    description: 'operating-system keychain, via the desktop app',
    async getKey() {
      const copy = Buffer.from(key);
      key.fill(0);
      return copy;
    },
  };
}

const RUN_METHODS = new Set<MethodName>(['runFlowNow', 'replayFailures']);

export function createHostServer(opts: HostServerOptions): HostServer {
  let engine: Engine | null = null;
  let opening: Promise<Engine | null> | null = null;
  let scheduler: Scheduler | null = null;
  let receiver: { close(): Promise<void> } | null = null;
  let stopping = false;

  const postRun = (run: unknown) => {
    const parsed = RunSummary.safeParse(run);
    if (parsed.success) opts.post({ type: 'run', run: parsed.data });
  };

  async function start(msg: Extract<ToHost, { type: 'start' }>): Promise<Engine | null> {
    const log = (opts.logger ?? createLogger)(msg.dataDir);
    try {
      const opened = await Engine.open({ dataDir: msg.dataDir, profile: msg.profile, log, keyProvider: fixedKeyProvider(msg.key), dataDirLocked: msg.dataDirLocked ?? null });
      opened.onProgress((p) => opts.post({ type: 'progress', progress: { flow: p.flow, runId: p.runId, page: p.page, processed: p.processed, counts: p.counts } }));
      engine = opened;
      // A profile on sample data gets its sandbox back before anything runs against it.
      await resumeSampleData(opened).catch((err: unknown) => log.warn({ err: toErrorInfo(err) }, 'the sample-data sandbox could not start again'));
      if (msg.schedules) {
        const s = new Scheduler(opened, { onEvent: (e) => e.type === 'run' && postRun(e.run) });
        s.start();
        scheduler = s;
        receiver = await startReceiverForHost(opened, (flow) => void s.runNow(flow)).catch((err: unknown) => {
          log.warn({ err: toErrorInfo(err) }, 'the Jira webhook receiver could not start; Ferry polls Jira instead');
          return null;
        });
      }
      log.info({ hostPid: process.pid, profile: msg.profile }, 'engine host ready');
      opts.post({ type: 'ready', pid: process.pid });
      return opened;
    } catch (err) {
      log.error({ err }, 'the engine host could not open the profile');
      opts.post({ type: 'failed', error: toErrorInfo(err) });
      opts.exit(2);
      return null;
    }
  }

  async function runAll(e: Engine): Promise<RunAllResult> {
    const result: RunAllResult = { runs: [], skipped: [] };
    for (const flow of flowNames) {
      const notReady = flowNotReady(e.profile, flow);
      if (notReady) {
        result.skipped.push({ flow, reason: notReady });
        continue;
      }
      try {
        const run = await e.runFlow(flow, { trigger: 'manual' });
        result.runs.push(run);
        postRun(run);
      } catch (err) {
        result.skipped.push({ flow, reason: toErrorInfo(err).message });
      }
    }
    return result;
  }

  async function answer(id: number, work: (e: Engine) => Promise<Result<unknown>>): Promise<void> {
    const e = engine ?? (await opening);
    if (!e || stopping) {
      opts.post({ type: 'result', id, result: { ok: false, error: { code: 'engine_stopped', message: 'Ferry’s sync engine is not running.' } } });
      return;
    }
    const call = work(e).catch((err: unknown): Result<unknown> => ({ ok: false, error: toErrorInfo(err) }));
    answering.add(call);
    const result = await call.finally(() => answering.delete(call));
    opts.post({ type: 'result', id, result });
  }

  /** Calls being answered: stopping waits for them, so none reads a database that closed under it. */
  const answering = new Set<Promise<Result<unknown>>>();

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    // A run in progress finishes first, so its records and cursor stay consistent.
    await scheduler?.stop();
    await receiver?.close().catch(() => undefined);
    const open = engine ?? (await opening);
    await open?.idle(); // a run started from the window (Run now, Retry) finishes too
    await Promise.allSettled([...answering]); // and so does an export or a check the window asked for
    await open?.closeAndWait();
    opts.post({ type: 'stopped' });
    opts.exit(0);
  }

  return {
    async handle(raw) {
      const parsed = ToHost.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const problem = `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'not understood'}`;
        opts.onInvalid?.(problem);
        // Without a start there is no engine: say so rather than leave main waiting for one.
        if ((raw as { type?: unknown } | null)?.type === 'start' && !opening) {
          opts.post({ type: 'failed', error: { code: 'engine_protocol', message: `Ferry’s sync engine could not start (${problem}). Reinstall Ferry, or send the log file to your IT person.` } });
          opts.exit(2);
        }
        return;
      }
      const msg = parsed.data;
      switch (msg.type) {
        case 'start':
          if (opening) return;
          opening = start(msg);
          await opening;
          return;
        case 'call':
          return answer(msg.id, async (e) => {
            const method = msg.method as MethodName;
            const result = await dispatch(e.handlers, method, msg.input, (err) => e.log.error({ err, method }, 'API call failed'));
            if (result.ok && RUN_METHODS.has(method)) {
              const value = result.value as { runs?: unknown[] };
              for (const run of method === 'runFlowNow' ? [result.value] : (value.runs ?? [])) postRun(run);
            }
            return result;
          });
        case 'runAll':
          return answer(msg.id, async (e) => ({ ok: true, value: await runAll(e) }));
        case 'stop':
          return stop();
      }
    },
  };
}
