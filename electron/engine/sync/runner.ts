import type { FlowName, RunSummary } from '../../../shared/api';
import { FerryError, toErrorInfo } from '../../../shared/errors';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { HttpPool } from '../http/pool';
import type { Logger } from '../log';
import type { Profile } from '../store/profile';
import { finishRun, startRun, zeroCounts } from '../store/runs';
import type { FlowContext, FlowProgress } from './flow-context';

export type FlowBody = (ctx: FlowContext, pool: HttpPool, profile: Profile) => Promise<void>;

// A flow never runs twice at once for the same profile (two runs would race on the cursor).
const running = new Set<string>();

/** Runs one flow once: records the run, counts, requests used and outcome; progress goes to `onProgress`. */
export async function runFlow(
  profile: Profile,
  flow: FlowName,
  body: FlowBody,
  log: Logger,
  onProgress?: (p: FlowProgress) => void,
): Promise<RunSummary> {
  const key = `${profile.dir}\u0000${flow}`;
  if (running.has(key)) throw new FerryError('already_running', `${flow} is already running; wait for it to finish.`);
  running.add(key);
  try {
    const run = startRun(profile.db, flow);
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
      counts,
      log: log.child({ flow, runId: run.runId }),
      progress: ({ page, processed }) => onProgress?.({ flow, runId: run.runId, page, processed, counts: { ...counts } }),
    };
    let error: string | null = null;
    try {
      await body(ctx, pool, profile);
    } catch (err) {
      const info = toErrorInfo(err);
      error = info.message;
      if (info.code === 'internal') ctx.log.error({ err }, 'flow stopped by an unexpected error');
      else ctx.log.warn({ code: info.code }, info.message);
    }
    const outcome = error ? 'failed' : counts.failed > 0 ? 'partial' : 'ok';
    const stats = pool.totals();
    const summary = finishRun(profile.db, run.runId, { outcome, counts, requests: stats.requests, waitedMs: stats.waitedMs, error });
    ctx.log.info({ outcome, counts, ...stats }, 'run finished');
    return summary;
  } finally {
    running.delete(key);
  }
}
