import type { FlowName, RunSummary } from '../../../shared/api';
import { FerryError, toErrorInfo } from '../../../shared/errors';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { HttpPool } from '../http/pool';
import type { Logger } from '../log';
import { dueRetries, markReplayed, type Failure } from '../store/failures';
import { setRunAuditHead } from '../store/audit';
import type { Profile } from '../store/profile';
import { finishRun, startRun, zeroCounts } from '../store/runs';
import type { FlowContext, FlowProgress } from './flow-context';

/** A record a run is asked to do again: automatic retries pass no failure id, a person's replay does. */
export interface ReplayItem {
  key: string;
  failureId: number | null;
}

/**
 * One flow: how it connects to the systems it needs, its normal run (read changes since the cursor) and its
 * replay of named records through the current mappings.
 */
export interface FlowModule<D = unknown> {
  connect(profile: Profile, pool: HttpPool): D | Promise<D>;
  run(ctx: FlowContext, deps: D): Promise<void>;
  replay(ctx: FlowContext, deps: D, items: ReplayItem[]): Promise<void>;
}

export interface RunOptions {
  dryRun?: boolean;
  trigger?: 'manual' | 'schedule' | 'replay' | 'cli';
  /** Replay these failures (a person's choice) instead of a normal run. */
  replay?: Failure[];
  /** The engine's clock for business dates (FlowContext.now); the wall clock when left out. */
  now?: () => number;
}

// A flow never runs twice at once for the same profile (two runs would race on the cursor).
const running = new Set<string>();

/** Runs one flow once: records the run, counts, requests used and outcome; progress goes to `onProgress`. */
export async function runFlow(
  profile: Profile,
  flow: FlowName,
  module: FlowModule,
  log: Logger,
  onProgress?: (p: FlowProgress) => void,
  opts: RunOptions = {},
): Promise<RunSummary> {
  const key = `${profile.dir}\u0000${flow}`;
  if (running.has(key)) throw new FerryError('already_running', `${flow} is already running; wait for it to finish.`);
  running.add(key);
  try {
    const dryRun = opts.dryRun === true;
    const run = startRun(profile.db, flow, { dryRun, trigger: opts.replay ? 'replay' : opts.trigger });
    const counts = zeroCounts();
    const pool = new HttpPool({
      ...toNetwork(loadNetworkSettings(profile.db)),
      // Waits are part of the story of a run: shown as progress and kept in the log.
      onWait: (w) => {
        log.info({ flow, runId: run.runId, system: w.system, reason: w.reason, ms: w.ms, cause: w.cause }, 'waiting before the next request');
        onProgress?.({ flow, runId: run.runId, page: 0, processed: -1, counts: { ...counts }, waiting: { system: w.system, reason: w.reason, ms: w.ms } });
      },
    });
    const ctx: FlowContext = {
      db: profile.db,
      flow,
      runId: run.runId,
      dryRun,
      counts,
      log: log.child({ flow, runId: run.runId, dryRun }),
      now: opts.now ?? Date.now,
      progress: ({ page, processed }) => onProgress?.({ flow, runId: run.runId, page, processed, counts: { ...counts } }),
    };
    let error: string | null = null;
    try {
      const deps = await module.connect(profile, pool);
      if (opts.replay) {
        if (!dryRun) for (const f of opts.replay) markReplayed(profile.db, f.id, run.runId);
        await module.replay(ctx, deps, opts.replay.map((f) => ({ key: f.sourceKey, failureId: f.id })));
      } else {
        // Transient failures whose backoff has passed go first, then the changes since the cursor.
        const due = dryRun ? [] : dueRetries(profile.db, flow);
        if (due.length > 0) await module.replay(ctx, deps, due.map((f) => ({ key: f.sourceKey, failureId: null })));
        await module.run(ctx, deps);
      }
    } catch (err) {
      const info = toErrorInfo(err);
      error = info.message;
      if (info.code === 'internal') ctx.log.error({ err }, 'flow stopped by an unexpected error');
      else ctx.log.warn({ code: info.code }, info.message);
    }
    const outcome = error ? 'failed' : counts.failed > 0 ? 'partial' : 'ok';
    const stats = pool.totals();
    const summary = finishRun(profile.db, run.runId, { outcome, counts, requests: stats.requests, waitedMs: stats.waitedMs, error });
    setRunAuditHead(profile.db, run.runId);
    ctx.log.info({ outcome, counts, ...stats }, 'run finished');
    return summary;
  } finally {
    running.delete(key);
  }
}
