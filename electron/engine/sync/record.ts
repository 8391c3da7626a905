import { FerryError } from '../../../shared/errors';
import type { Capture } from '../http/client';
import { ConnectorError } from '../http/errors';
import { appendAudit } from '../store/audit';
import { recordFailure, resolveFailure } from '../store/failures';
import { getLink, saveLink } from '../store/links';
import type { FlowContext } from './flow-context';
import { contentHash } from './hash';

// The life of one record in any flow, in the order the sync rules (DESIGN.md) demand:
// map + validate → unchanged? → (dry run: preview and stop) → identity before write → write →
// link + audit + close any failure, in one transaction. A failure is data: it is recorded with the exact
// reason and payload, and the flow carries on with the next record.

export interface Written {
  targetId: string;
  targetStatus: string | null;
  capture?: Capture | null;
  /** The target already held this record (found while creating): it was adopted and brought up to date. */
  adopted?: boolean;
}

export interface RecordSpec<P> {
  recordType: string;
  sourceSystem: string;
  sourceKey: string;
  targetSystem: string;
  /** Pure mapping and validation; MappingError / ValidationError (FerryError) become a failure for a person. */
  map(): P | Promise<P>;
  /** A reason to leave this record alone for now (e.g. a planned PO), given its link if any. */
  skip?(payload: P, linked: boolean): string | null;
  /** Identity before write: when there is no link, find the target by its external reference. */
  findExisting?(payload: P): Promise<Written | null>;
  create(payload: P): Promise<Written>;
  /** Absent: the target cannot be changed once created (a posted voucher), so a change is recorded, not sent. */
  update?(payload: P, targetId: string): Promise<Written>;
  /** The action word for the audit trail, e.g. "cancel" instead of "update". */
  updateAction?(payload: P): string;
  /** The failure a person replays, so a new failure links back to it. */
  replayOf?: number | null;
}

export type RecordOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

const CHANGE_NOT_SENT = 'It changed after it was posted; posted records are never edited (DESIGN rule 5), so the change waits for a person.';

export async function syncRecord<P>(ctx: FlowContext, spec: RecordSpec<P>): Promise<RecordOutcome> {
  const base = {
    runId: ctx.runId,
    flow: ctx.flow,
    recordType: spec.recordType,
    sourceSystem: spec.sourceSystem,
    sourceKey: spec.sourceKey,
    targetSystem: spec.targetSystem,
  };
  let payload: P;
  try {
    payload = await spec.map();
  } catch (err) {
    if (!(err instanceof FerryError) && !isMappingError(err)) throw err;
    return fail(ctx, spec, err, null);
  }
  const link = getLink(ctx.db, spec.sourceSystem, spec.sourceKey, spec.targetSystem);
  const skipReason = spec.skip?.(payload, link !== null) ?? null;
  if (skipReason) {
    ctx.counts.skipped++;
    appendAudit(ctx.db, { ...base, targetKey: link?.targetId ?? null, action: 'skip', outcome: 'skipped', reason: skipReason });
    return 'skipped';
  }
  const hash = contentHash(payload);
  if (link && link.contentHash === hash) {
    ctx.counts.unchanged++;
    appendAudit(ctx.db, { ...base, targetKey: link.targetId, action: 'unchanged', outcome: 'skipped', targetStatus: link.targetStatus, reason: 'No change since the last sync.' });
    if (!ctx.dryRun) resolveFailure(ctx.db, ctx.flow, spec.sourceSystem, spec.sourceKey, ctx.runId);
    return 'unchanged';
  }
  if (link && !spec.update) {
    // A record that cannot be edited once written changed at the source: never re-post it, tell a person.
    return fail(ctx, spec, new FerryError('changed_after_posting', `${spec.recordType} ${spec.sourceKey}: ${CHANGE_NOT_SENT}`), payload);
  }
  if (ctx.dryRun) {
    ctx.counts[link ? 'updated' : 'created']++;
    appendAudit(ctx.db, {
      ...base,
      targetKey: link?.targetId ?? null,
      action: link ? `preview-${spec.updateAction?.(payload) ?? 'update'}` : 'preview-create',
      outcome: 'skipped',
      reason: 'Dry run: this is what Ferry would send.',
      capture: { payload },
    });
    return link ? 'updated' : 'created';
  }
  let written: Written;
  let action: string;
  try {
    const existing = link ? null : ((await spec.findExisting?.(payload)) ?? null);
    if (link || existing) {
      const targetId = link?.targetId ?? existing!.targetId;
      if (!spec.update) {
        written = existing!;
        action = 'adopt';
      } else {
        written = await spec.update(payload, targetId);
        action = link ? (spec.updateAction?.(payload) ?? 'update') : 'adopt';
      }
    } else {
      written = await spec.create(payload);
      action = written.adopted ? 'adopt' : 'create';
    }
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    return fail(ctx, spec, err, payload);
  }
  ctx.db.transaction(() => {
    saveLink(ctx.db, {
      flow: ctx.flow,
      sourceSystem: spec.sourceSystem,
      sourceId: spec.sourceKey,
      targetSystem: spec.targetSystem,
      targetId: written.targetId,
      targetStatus: written.targetStatus,
      contentHash: hash,
      lastRunId: ctx.runId,
    });
    appendAudit(ctx.db, { ...base, targetKey: written.targetId, action, outcome: 'ok', targetStatus: written.targetStatus, capture: written.capture ?? undefined });
    resolveFailure(ctx.db, ctx.flow, spec.sourceSystem, spec.sourceKey, ctx.runId);
  })();
  const outcome = action === 'create' ? 'created' : 'updated';
  ctx.counts[outcome]++;
  return outcome;
}

function isMappingError(err: unknown): err is Error & { field: string } {
  return err instanceof Error && 'field' in err;
}

function fail<P>(ctx: FlowContext, spec: RecordSpec<P>, err: unknown, payload: P | null): 'failed' {
  const code = err instanceof FerryError ? err.code : 'mapping';
  const reason = err instanceof Error ? err.message : String(err);
  const retryable = err instanceof ConnectorError && err.retryable;
  const capture = err instanceof ConnectorError ? err.capture : null;
  ctx.counts.failed++;
  if (ctx.dryRun) {
    appendAudit(ctx.db, { runId: ctx.runId, flow: ctx.flow, recordType: spec.recordType, sourceSystem: spec.sourceSystem, sourceKey: spec.sourceKey, targetSystem: spec.targetSystem, action: 'preview-failed', outcome: 'failed', reason });
    return 'failed';
  }
  ctx.db.transaction(() => {
    const failure = recordFailure(ctx.db, {
      flow: ctx.flow,
      sourceSystem: spec.sourceSystem,
      sourceKey: spec.sourceKey,
      targetSystem: spec.targetSystem,
      recordType: spec.recordType,
      runId: ctx.runId,
      code,
      reason,
      payload,
      retryable,
      replayOf: spec.replayOf ?? null,
    });
    appendAudit(ctx.db, {
      runId: ctx.runId,
      flow: ctx.flow,
      recordType: spec.recordType,
      sourceSystem: spec.sourceSystem,
      sourceKey: spec.sourceKey,
      targetSystem: spec.targetSystem,
      action: 'send',
      outcome: 'failed',
      reason: failure.state === 'retrying' ? `${reason} Ferry retries it automatically (attempt ${failure.attempts} of 5).` : reason,
      capture: capture ?? undefined,
    });
  })();
  ctx.log.info({ record: spec.sourceKey, code, retryable }, 'record waits in the failures queue');
  return 'failed';
}
