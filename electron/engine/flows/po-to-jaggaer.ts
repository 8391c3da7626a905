import type { PurchaseOrder, Vendor } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { PoRejectedError, type JaggaerPoClient, type PoSent } from '../connectors/jaggaer/po-import';
import type { JaggaerPurchaseOrder } from '../connectors/jaggaer/po-xml';
import { mapPurchaseOrder, MappingError } from '../mapping/purchase-order';
import { appendAudit } from '../store/audit';
import { getCursor, setCursor } from '../store/cursors';
import { recordFailure, resolveFailure } from '../store/failures';
import { getLink, saveLink } from '../store/links';
import type { FlowContext } from '../sync/flow-context';
import { contentHash } from '../sync/hash';

// CloudSuite purchase orders → JAGGAER approved POs.
// read a page (SLPos + its lines) → map → skip if unchanged → write → link + audit → next; cursor per page.

export const FLOW = 'po-to-jaggaer' as const;
const SOURCE = 'cloudsuite';
const TARGET = 'jaggaer';

export interface PoToJaggaerDeps {
  cloudsuite: CloudSuiteAdapter;
  jaggaer: JaggaerPoClient;
  /** Reads start this far before the cursor, for clock skew between CloudSuite and its app servers. */
  overlapMs: number;
  pageSize: number;
  defaultCurrency: string;
}

export async function runPoToJaggaer(ctx: FlowContext, deps: PoToJaggaerDeps): Promise<void> {
  const cursor = getCursor(ctx.db, FLOW);
  const since = cursor ? new Date(Date.parse(cursor) - deps.overlapMs) : new Date(0);
  const vendors = new Map((await deps.cloudsuite.listVendors()).map((v) => [v.number, v]));
  let page = 0;
  let processed = 0;
  for await (const { orders, maxModifiedAt } of deps.cloudsuite.purchaseOrdersChangedSince(since, deps.pageSize)) {
    page++;
    for (const po of orders) {
      await syncOne(ctx, deps, po, vendors);
      processed++;
      ctx.progress({ page, processed });
    }
    // Every record of the page is now recorded as done or failed (each in its own commit), so the cursor may move.
    if (maxModifiedAt && (!cursor || maxModifiedAt > cursor)) setCursor(ctx.db, FLOW, maxModifiedAt);
  }
}

async function syncOne(ctx: FlowContext, deps: PoToJaggaerDeps, po: PurchaseOrder, vendors: Map<string, Vendor>): Promise<void> {
  const base = { runId: ctx.runId, flow: FLOW, recordType: 'purchase order', sourceSystem: SOURCE, sourceKey: po.number, targetSystem: TARGET };
  if (po.status === 'planned') {
    ctx.counts.skipped++;
    appendAudit(ctx.db, { ...base, action: 'skip', outcome: 'skipped', reason: 'Planned PO: it goes to JAGGAER once it is ordered (approved) in CloudSuite.' });
    return;
  }
  let payload: JaggaerPurchaseOrder;
  try {
    payload = mapPurchaseOrder(po, vendors.get(po.vendorNumber), deps.defaultCurrency);
  } catch (err) {
    if (!(err instanceof MappingError)) throw err;
    fail(ctx, po, 'mapping', err.message, null, null);
    return;
  }
  const hash = contentHash(payload);
  const link = getLink(ctx.db, SOURCE, po.number, TARGET);
  if (link && link.contentHash === hash) {
    ctx.counts.unchanged++;
    appendAudit(ctx.db, { ...base, targetKey: link.targetId, action: 'unchanged', outcome: 'skipped', targetStatus: link.targetStatus, reason: 'No change since the last sync.' });
    return;
  }
  const messageId = `ferry-${ctx.runId}-${po.number}`;
  let sent: PoSent;
  let action: 'create' | 'update' = link ? 'update' : 'create';
  try {
    try {
      sent = await deps.jaggaer.send(payload, link ? 'update' : 'new', messageId);
    } catch (err) {
      // Identity before write: JAGGAER already holds this PO (a crash after it took the PO and before the link
      // was saved). Adopt that document and send the content as an update instead of a second PO.
      if (!(err instanceof PoRejectedError) || !err.existingDocumentId || link) throw err;
      ctx.log.warn({ po: po.number, documentId: err.existingDocumentId }, 'PO already in JAGGAER without a link; updating it');
      action = 'update';
      sent = await deps.jaggaer.send(payload, 'update', `${messageId}-adopt`);
    }
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    fail(ctx, po, err.code, err.message, payload, err instanceof PoRejectedError ? err.capture : null);
    return;
  }
  ctx.db.transaction(() => {
    saveLink(ctx.db, { flow: FLOW, sourceSystem: SOURCE, sourceId: po.number, targetSystem: TARGET, targetId: sent.documentId, targetStatus: sent.status, contentHash: hash, lastRunId: ctx.runId });
    appendAudit(ctx.db, { ...base, targetKey: sent.documentId, action, outcome: 'ok', targetStatus: sent.status, capture: sent.capture });
    resolveFailure(ctx.db, FLOW, SOURCE, po.number);
  })();
  ctx.counts[action === 'create' ? 'created' : 'updated']++;
}

function fail(ctx: FlowContext, po: PurchaseOrder, code: string, reason: string, payload: JaggaerPurchaseOrder | null, capture: unknown): void {
  ctx.db.transaction(() => {
    recordFailure(ctx.db, { flow: FLOW, sourceSystem: SOURCE, sourceKey: po.number, runId: ctx.runId, code, reason, payload });
    appendAudit(ctx.db, {
      runId: ctx.runId, flow: FLOW, recordType: 'purchase order', sourceSystem: SOURCE, sourceKey: po.number, targetSystem: TARGET,
      action: 'send', outcome: 'failed', reason, capture: capture ?? undefined,
    });
  })();
  ctx.counts.failed++;
  ctx.log.info({ po: po.number, code }, 'PO waits in the failures queue');
}
