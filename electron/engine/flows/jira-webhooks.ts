import { connectJira } from '../connectors/connect';
import type { JiraClient } from '../connectors/jira/index';
import type { Db } from '../store/db';
import { recordFailure, resolveFailure } from '../store/failures';
import type { FlowContext } from '../sync/flow-context';
import type { FlowModule } from '../sync/runner';
import { keepWebhooksAlive, type KeeperResult } from '../sync/webhook-keeper';
import type { WebhookKind } from '../store/webhooks';

// Flow jira-webhooks: keeps Ferry's Jira webhook registered and alive (sync/webhook-keeper.ts). Counts:
// created = registered, updated = refreshed, unchanged = alive and far from expiring; a webhook that could
// not be set up waits in the failures queue (key webhook:dynamic or webhook:admin) while Ferry polls.

export interface JiraWebhooksDeps {
  db: Db;
  sealKey: Buffer;
  client: JiraClient;
  profile: string;
}

const KINDS: WebhookKind[] = ['dynamic', 'admin'];

async function keep(ctx: FlowContext, deps: JiraWebhooksDeps): Promise<KeeperResult> {
  const result = await keepWebhooksAlive({ ...deps, now: ctx.now, log: ctx.log, runId: ctx.runId, dryRun: ctx.dryRun });
  ctx.counts.created += result.changes.created;
  ctx.counts.updated += result.changes.updated;
  ctx.counts.unchanged += result.changes.unchanged;
  // Nothing to register or keep (no receiver address, not an administrator, no projects): Ferry only polls.
  const touched = result.changes.created + result.changes.updated + result.changes.unchanged + result.changes.removed;
  if (result.mode === 'polling' && touched === 0 && result.problems.length === 0) ctx.counts.skipped++;
  ctx.counts.failed += result.problems.length;
  if (!ctx.dryRun) {
    for (const kind of KINDS) {
      const problem = result.problems.find((p) => p.kind === kind);
      if (!problem) {
        resolveFailure(ctx.db, 'jira-webhooks', 'ferry', `webhook:${kind}`, ctx.runId);
        continue;
      }
      recordFailure(ctx.db, {
        flow: 'jira-webhooks',
        sourceSystem: 'ferry',
        sourceKey: `webhook:${kind}`,
        targetSystem: 'jira',
        recordType: 'webhook',
        runId: ctx.runId,
        code: problem.code,
        reason: `${problem.message} Ferry polls Jira meanwhile.`,
        payload: { kind, mode: result.mode },
        retryable: problem.retryable,
      });
    }
  }
  ctx.progress({ page: 1, processed: result.webhooks.length });
  ctx.log.info({ mode: result.mode, changes: result.changes, problems: result.problems.length }, 'Jira webhooks checked');
  return result;
}

export const jiraWebhooks: FlowModule<JiraWebhooksDeps> = {
  connect(profile, pool) {
    return { db: profile.db, sealKey: profile.sealKey, client: connectJira(profile, pool).client, profile: profile.name };
  },
  async run(ctx, deps) {
    await keep(ctx, deps);
  },
  // There is one thing to do whatever was asked: check the webhook again. Automatic retries (no failure id)
  // come just before a normal run in the same run, which does exactly that.
  async replay(ctx, deps, items) {
    if (items.length > 0 && items.every((i) => i.failureId === null)) return;
    await keep(ctx, deps);
  },
};
