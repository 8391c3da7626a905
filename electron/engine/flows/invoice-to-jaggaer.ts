import type { SupplierInvoiceSummary } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter, EnteredVoucher } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJaggaer } from '../connectors/connect';
import type { IncomingInvoice, JaggaerInvoices } from '../connectors/jaggaer/invoices';
import { ConnectorError } from '../http/errors';
import { incomingInvoiceMappings, mapIncomingInvoice, voucherRecord, type IncomingInvoiceMappings } from '../mapping/incoming-invoice';
import { appendAudit } from '../store/audit';
import { getCursor, setCursor } from '../store/cursors';
import type { Db } from '../store/db';
import type { FlowContext } from '../sync/flow-context';
import { READ_DEFAULTS } from './defaults';
import { syncRecord, type Written } from '../sync/record';
import type { FlowModule, ReplayItem } from '../sync/runner';

// CloudSuite AP vouchers → JAGGAER incoming invoices (invoices/ocr), each imported exactly once.
// Read the vouchers changed since the cursor, a page at a time → leave out Ferry's own (no echo) and those
// not posted yet → map supplier and GL coding → find the invoice in JAGGAER by supplier and supplier invoice
// number → import it → link + audit; the cursor moves after each page. An imported invoice is never
// updated: a voucher that changes afterwards waits for a person (DESIGN rule 5).

export const FLOW = 'invoice-to-jaggaer' as const;
const SOURCE = 'cloudsuite';
const TARGET = 'jaggaer';
const RECORD_TYPE = 'AP voucher';

/** The source key of a voucher (links, failures, audit, replay): CloudSuite keys vouchers by vendor and voucher number. */
export const voucherKey = (vendorNumber: string, voucherNumber: string): string => `${vendorNumber}|${voucherNumber}`;

function parseVoucherKey(key: string): { vendorNumber: string; voucherNumber: string } | null {
  // Voucher numbers are digits; a vendor number could in theory hold "|", so split at the last one.
  const at = key.lastIndexOf('|');
  return at > 0 && at < key.length - 1 ? { vendorNumber: key.slice(0, at), voucherNumber: key.slice(at + 1) } : null;
}

/** Ferry's references on what it enters in CloudSuite start with this (FERRY:JAG-INV-<invoiceId> for vouchers). */
const FERRY_REFERENCE = /^FERRY:/i;
/** The flow that enters vouchers from JAGGAER invoices, and the links it keeps (JAGGAER invoice → voucher number). */
const FROM_JAGGAER_FLOW = 'invoice-to-cloudsuite';

export interface InvoiceToJaggaerDeps {
  cloudsuite: CloudSuiteAdapter;
  invoices: Pick<JaggaerInvoices, 'importIncoming' | 'findBySupplierInvoiceNumber'>;
  /** Reads start this far before the cursor, for clock skew between CloudSuite and its app servers. */
  overlapMs: number;
  pageSize: number;
  /** When neither the voucher nor its vendor names a currency. */
  defaultCurrency: string;
}

/**
 * No echo (DESIGN rule 6): a voucher Ferry entered from a JAGGAER invoice came from JAGGAER and is not sent
 * back. Industrial keeps Ferry's reference on the voucher; M3 keeps none, so there the link the
 * invoice-to-cloudsuite flow saved (JAGGAER invoice → voucher number) says it. Should both be missing (a
 * profile that lost its database), identity before write still finds the JAGGAER invoice and adopts it.
 */
function echoReason(db: Db, v: EnteredVoucher): string | null {
  if (v.reference && FERRY_REFERENCE.test(v.reference)) {
    return `${voucherRecord(v)} was entered by Ferry from a JAGGAER invoice (reference ${v.reference}), so it is not sent back to JAGGAER.`;
  }
  if (v.reference !== null) return null;
  const row = db
    .prepare(`SELECT source_id AS sourceId FROM links WHERE flow = ? AND source_system = ? AND target_system = ? AND target_id = ? LIMIT 1`)
    .get(FROM_JAGGAER_FLOW, TARGET, SOURCE, v.voucherNumber) as { sourceId: string } | undefined;
  return row ? `${voucherRecord(v)} was entered by Ferry from JAGGAER (${row.sourceId}), so it is not sent back to JAGGAER.` : null;
}

/** Posted (Industrial Stat P, M3 SUPA 90) is the only state in which a voucher goes to JAGGAER: entered ones can still change. */
function holdReason(v: EnteredVoucher): string | null {
  return v.posted ? null : `${voucherRecord(v)} is not posted yet (status ${v.status ?? 'unknown'}); Ferry sends it to JAGGAER once it is posted in CloudSuite.`;
}

/**
 * The CloudSuite voucher (vendor|voucher) this flow imported a JAGGAER invoice from, or null: what the
 * invoice-to-cloudsuite flow asks so that it does not enter such an invoice back as a voucher (no echo).
 */
export function voucherOfImportedInvoice(db: Db, invoiceId: string): string | null {
  const row = db.prepare('SELECT source_id AS sourceId FROM links WHERE flow = ? AND source_system = ? AND target_system = ? AND target_id = ? LIMIT 1').get(FLOW, SOURCE, TARGET, invoiceId) as
    | { sourceId: string }
    | undefined;
  return row?.sourceId ?? null;
}

/** A voucher left alone before it is mapped (Ferry's own, or not posted): said in the audit trail, nothing else. */
function skipUnmapped(ctx: FlowContext, key: string, reason: string): void {
  ctx.counts.skipped++;
  appendAudit(ctx.db, { runId: ctx.runId, flow: ctx.flow, recordType: RECORD_TYPE, sourceSystem: SOURCE, sourceKey: key, targetSystem: TARGET, action: 'skip', outcome: 'skipped', reason });
}

/** Per run: the mapping tables, and each vendor's currency, read once and only if a voucher names no currency. */
interface RunState {
  mappings: IncomingInvoiceMappings;
  vendorCurrency(vendorNumber: string): Promise<string | null>;
}

function runState(ctx: FlowContext, deps: InvoiceToJaggaerDeps): RunState {
  let currencies: Promise<Map<string, string | null>> | null = null;
  return {
    mappings: incomingInvoiceMappings(ctx.db),
    vendorCurrency: async (vendorNumber) => {
      currencies ??= deps.cloudsuite.listVendors().then((vendors) => new Map(vendors.map((v) => [v.number, v.currency])));
      return (await currencies).get(vendorNumber) ?? null;
    },
  };
}

const adopted = (s: SupplierInvoiceSummary): Written => ({ targetId: s.id, targetStatus: s.approved ? 'approved' : 'pending' });

async function syncVoucher(ctx: FlowContext, deps: InvoiceToJaggaerDeps, state: RunState, v: EnteredVoucher, replayOf: number | null = null): Promise<void> {
  const key = voucherKey(v.vendorNumber, v.voucherNumber);
  const leave = echoReason(ctx.db, v) ?? holdReason(v);
  if (leave) {
    skipUnmapped(ctx, key, leave);
    return;
  }
  const vendorCurrency = v.currency ? null : await state.vendorCurrency(v.vendorNumber);
  // JAGGAER refuses a second invoice with the same supplier, number and kind, so that is its identity.
  const find = async (inv: IncomingInvoice): Promise<SupplierInvoiceSummary | null> => {
    const credit = inv.kind === 'credit-memo';
    const hits = (await deps.invoices.findBySupplierInvoiceNumber(inv.supplierNumber, inv.supplierInvoiceNumber)).filter((s) => (s.kind === 'credit-memo') === credit);
    if (hits.length > 1) {
      throw new FerryError(
        'reference_conflict',
        `JAGGAER holds ${hits.length} invoices ${inv.supplierInvoiceNumber} of supplier ${inv.supplierNumber} (${hits.map((h) => h.number).join(', ')}); Ferry imports nothing until someone resolves it.`,
      );
    }
    return hits[0] ?? null;
  };
  await syncRecord(ctx, {
    recordType: RECORD_TYPE,
    sourceSystem: SOURCE,
    sourceKey: key,
    targetSystem: TARGET,
    replayOf,
    map: () => mapIncomingInvoice(v, state.mappings, vendorCurrency, deps.defaultCurrency),
    // Identity before write: an invoice JAGGAER already holds (imported by a run whose link was lost, or keyed
    // in there) is adopted, never imported again.
    findExisting: async (inv) => {
      const found = await find(inv);
      return found ? adopted(found) : null;
    },
    create: async (inv) => {
      const imported = await deps.invoices.importIncoming(inv);
      const invoiceId = imported.invoiceId ?? (await find(inv))?.id ?? null;
      if (!invoiceId) {
        throw new ConnectorError(
          'bad_response',
          `JAGGAER took ${voucherRecord(v)} but named no invoice id, and a search does not show it yet; the next attempt searches again before it sends anything.`,
          { system: 'JAGGAER', retryable: true },
        );
      }
      return { targetId: invoiceId, targetStatus: 'pending' };
    },
    // No update: JAGGAER's invoice import is not an edit, so a voucher that changes after import waits for a person.
  });
}

/**
 * A product that cannot read vouchers back until its administrator sets it up (M3: the payables accounts) stops
 * the run with one sentence saying so, rather than a failure for every voucher.
 */
function requireVoucherReads(deps: InvoiceToJaggaerDeps): void {
  if (deps.cloudsuite.supports.voucherReads !== false) return;
  throw new FerryError(
    'not_set_up',
    'invoice-to-jaggaer is not set up for CloudSuite M3: Ferry tells a supplier invoice in M3\'s ledger by its payables account, and none is set. Set it with "ferry connect cloudsuite --m3-payables-account ACCOUNT" (the connection test says more).',
  );
}

export const invoiceToJaggaer: FlowModule<InvoiceToJaggaerDeps> = {
  connect(profile, pool) {
    return {
      cloudsuite: connectCloudSuite(profile, pool).adapter,
      invoices: connectJaggaer(profile, pool).client.invoices,
      ...READ_DEFAULTS,
      defaultCurrency: 'USD',
    };
  },

  async run(ctx, deps) {
    requireVoucherReads(deps);
    const cursor = getCursor(ctx.db, FLOW);
    const since = cursor ? new Date(Date.parse(cursor) - deps.overlapMs) : new Date(0);
    const state = runState(ctx, deps);
    let page = 0;
    let processed = 0;
    for await (const { vouchers, maxModifiedAt } of deps.cloudsuite.apVouchersChangedSince(since, deps.pageSize)) {
      page++;
      for (const v of vouchers) {
        await syncVoucher(ctx, deps, state, v);
        ctx.progress({ page, processed: ++processed });
      }
      // Every voucher of the page is now recorded as done, skipped or failed (each in its own commit).
      if (!ctx.dryRun && maxModifiedAt && (!cursor || maxModifiedAt > cursor)) setCursor(ctx.db, FLOW, maxModifiedAt);
    }
  },

  async replay(ctx, deps, items: ReplayItem[]) {
    requireVoucherReads(deps);
    const state = runState(ctx, deps);
    let processed = 0;
    for (const item of items) {
      const k = parseVoucherKey(item.key);
      const v = k ? await deps.cloudsuite.getApVoucher(k.vendorNumber, k.voucherNumber) : null;
      if (v) await syncVoucher(ctx, deps, state, v, item.failureId);
      else ctx.log.warn({ voucher: item.key }, 'voucher to replay no longer exists in CloudSuite');
      ctx.progress({ page: 0, processed: ++processed });
    }
  },
};
