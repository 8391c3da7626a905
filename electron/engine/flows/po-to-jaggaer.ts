import type { PurchaseOrder, Vendor } from '../../../shared/domain';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJaggaer } from '../connectors/connect';
import { PoRejectedError, type JaggaerPoClient } from '../connectors/jaggaer/po-import';
import type { JaggaerPurchaseOrder, PoMessageType } from '../connectors/jaggaer/po-xml';
import { mapPurchaseOrder, type PoMappings } from '../mapping/purchase-order';
import { refreshReference } from '../mapping/reference-refresh';
import { assertValid, loadValidationContext, validatePurchaseOrder } from '../mapping/validate';
import type { Db } from '../store/db';
import { resolveCostAllocation, resolveSite, resolveSupplier, resolveTerms } from '../store/mappings';
import type { Profile } from '../store/profile';
import { referenceAge } from '../store/reference';
import { getCursor, setCursor } from '../store/cursors';
import type { FlowContext } from '../sync/flow-context';
import { READ_DEFAULTS } from './defaults';
import { syncRecord, type Written } from '../sync/record';
import type { FlowModule, ReplayItem } from '../sync/runner';

// CloudSuite purchase orders → JAGGAER approved POs.
// Read pages of POs changed since the cursor (header or lines) → map → skip unchanged → new / update /
// cancel → link + audit; the cursor moves after each page.

export const FLOW = 'po-to-jaggaer' as const;
const SOURCE = 'cloudsuite';
const TARGET = 'jaggaer';

export interface PoToJaggaerDeps {
  profile: Profile;
  cloudsuite: CloudSuiteAdapter;
  jaggaer: JaggaerPoClient;
  /** Reads start this far before the cursor, for clock skew between CloudSuite and its app servers. */
  overlapMs: number;
  pageSize: number;
  defaultCurrency: string;
}

const closed = (po: PurchaseOrder) => po.status === 'complete' || po.status === 'history';

/** Reference data older than this is read again before validating (rates and budgets are spent carefully). */
const REFERENCE_MAX_AGE_MS = 60 * 60_000;

const poMappings = (db: Db): PoMappings => ({
  supplier: (v) => resolveSupplier(db, v),
  costAllocation: (account, cc) => resolveCostAllocation(db, account, cc),
  site: (w) => resolveSite(db, w),
  terms: (code) => resolveTerms(db, code),
});

/**
 * Validation needs the reference cache: read it when missing or stale — and always when a person replays,
 * because they replay after fixing something (a vendor set up, an account reopened) and expect it to count.
 */
async function freshReference(deps: PoToJaggaerDeps, force = false): Promise<void> {
  const age = referenceAge(deps.profile.db, 'gl-account');
  if (force || !age || age.ageMs > REFERENCE_MAX_AGE_MS) await refreshReference(deps.profile, deps.cloudsuite);
}

async function syncPo(ctx: FlowContext, deps: PoToJaggaerDeps, po: PurchaseOrder, vendors: Map<string, Vendor>, replayOf: number | null = null): Promise<void> {
  const messageId = `ferry-${ctx.runId}-${po.number}`;
  const send = async (payload: JaggaerPurchaseOrder, type: PoMessageType): Promise<Written> => {
    const sent = await deps.jaggaer.send(payload, type, `${messageId}-${type}`);
    return { targetId: sent.documentId, targetStatus: sent.status, capture: sent.capture };
  };
  await syncRecord(ctx, {
    recordType: 'purchase order',
    sourceSystem: SOURCE,
    sourceKey: po.number,
    targetSystem: TARGET,
    replayOf,
    map: () => {
      const payload = mapPurchaseOrder(po, vendors.get(po.vendorNumber), deps.defaultCurrency, poMappings(ctx.db));
      // Rules before any write: supplier mapped and active, every line's account open, cost center valid,
      // currency known. A closed PO is only being cancelled, so its coding no longer matters.
      if (!closed(po)) assertValid(validatePurchaseOrder(loadValidationContext(ctx.db), po, payload.currency));
      return { ...payload, cancelled: closed(po) };
    },
    skip: (_p, linked) =>
      po.status === 'planned'
        ? 'Planned PO: it goes to JAGGAER once it is ordered (approved) in CloudSuite.'
        : closed(po) && !linked
          ? 'Closed in CloudSuite before it ever reached JAGGAER: nothing to cancel there.'
          : null,
    // Identity before write: JAGGAER answers a second PO number with the document it already holds, so
    // "create" doubles as the search by external reference; that document is then updated.
    create: async ({ cancelled: _c, ...payload }) => {
      try {
        return await send(payload, 'new');
      } catch (err) {
        if (!(err instanceof PoRejectedError) || !err.existingDocumentId) throw err;
        ctx.log.warn({ po: po.number, documentId: err.existingDocumentId }, 'PO already in JAGGAER without a link; updating it');
        return { ...(await send(payload, 'update')), adopted: true };
      }
    },
    update: ({ cancelled, ...payload }) => send(payload, cancelled ? 'cancel' : 'update'),
    updateAction: (p) => (p.cancelled ? 'cancel' : 'update'),
  });
}

export const poToJaggaer: FlowModule<PoToJaggaerDeps> = {
  connect(profile, pool) {
    return {
      profile,
      cloudsuite: connectCloudSuite(profile, pool).adapter,
      jaggaer: connectJaggaer(profile, pool).po,
      ...READ_DEFAULTS,
      defaultCurrency: 'USD',
    };
  },

  async run(ctx, deps) {
    await freshReference(deps);
    const cursor = getCursor(ctx.db, FLOW);
    const since = cursor ? new Date(Date.parse(cursor) - deps.overlapMs) : new Date(0);
    const vendors = new Map((await deps.cloudsuite.listVendors()).map((v) => [v.number, v]));
    let page = 0;
    let processed = 0;
    for await (const { orders, maxModifiedAt } of deps.cloudsuite.purchaseOrdersChangedSince(since, deps.pageSize)) {
      page++;
      for (const po of orders) {
        await syncPo(ctx, deps, po, vendors);
        ctx.progress({ page, processed: ++processed });
      }
      // Every record of the page is now recorded as done or failed (each in its own commit): the cursor may move.
      if (!ctx.dryRun && maxModifiedAt && (!cursor || maxModifiedAt > cursor)) setCursor(ctx.db, FLOW, maxModifiedAt);
    }
  },

  async replay(ctx, deps, items: ReplayItem[]) {
    await freshReference(deps, items.some((i) => i.failureId !== null));
    const vendors = new Map((await deps.cloudsuite.listVendors()).map((v) => [v.number, v]));
    let processed = 0;
    for (const item of items) {
      const po = await deps.cloudsuite.getPurchaseOrder(item.key);
      if (po) await syncPo(ctx, deps, po, vendors, item.failureId);
      else ctx.log.warn({ po: item.key }, 'PO to replay no longer exists in CloudSuite');
      ctx.progress({ page: 0, processed: ++processed });
    }
  },
};
