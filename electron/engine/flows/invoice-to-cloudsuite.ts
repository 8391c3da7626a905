import type { ApVoucher, ApVoucherRecord, PurchaseOrder, SupplierInvoice, SupplierInvoiceSummary } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJaggaer } from '../connectors/connect';
import type { JaggaerInvoices } from '../connectors/jaggaer/invoices';
import { invoiceRecord, loadInvoiceMappings, matchPurchaseOrders, matchTolerance, toVoucher, vendorForSupplier, type InvoiceMappings } from '../mapping/invoice';
import { requiredMappings } from '../mapping/kinds';
import { assertValid, validateVoucher, validationContext, type ValidationContext } from '../mapping/validate';
import { appendAudit } from '../store/audit';
import { getCursor, setCursor } from '../store/cursors';
import { getLink } from '../store/links';
import { listMappings } from '../store/mappings';
import { postingDateOf } from '../store/posting-dates';
import { isoDay, PeriodBook, periodSource } from '../mapping/periods';
import type { FlowContext } from '../sync/flow-context';
import { READ_DEFAULTS } from './defaults';
import { syncRecord, type Written } from '../sync/record';
import type { FlowModule, ReplayItem } from '../sync/runner';
import { voucherOfImportedInvoice } from './invoice-to-jaggaer';

// JAGGAER supplier invoices → CloudSuite AP vouchers with GL distributions, posted exactly once.
// Read the invoices changed since the cursor → leave out Ferry's own imports (no echo) and those not yet
// approved and payable → match PO lines → map the supplier and GL coding → validate → find the voucher by
// Ferry's reference → enter and post it → link + audit; the cursor moves after each page. A voucher is never
// updated: an invoice that changes after it was posted waits for a person (DESIGN rule 5).

export const FLOW = 'invoice-to-cloudsuite' as const;
const SOURCE = 'jaggaer';
const TARGET = 'cloudsuite';
const RECORD_TYPE = 'supplier invoice';

/** The source key of an invoice (links, failures, audit): it reads like the voucher's reference and cannot clash with other JAGGAER records. */
const sourceKey = (invoiceId: string): string => `JAG-INV-${invoiceId}`;
const invoiceIdOf = (key: string): string => key.replace(/^JAG-INV-/, '');

export interface InvoiceToCloudSuiteDeps {
  cloudsuite: CloudSuiteAdapter;
  invoices: Pick<JaggaerInvoices, 'changedSince' | 'get'>;
  /** Reads start this far before the cursor, for clock skew between JAGGAER and Ferry. */
  overlapMs: number;
  /** Invoices recorded between two cursor moves. */
  pageSize: number;
}

/**
 * No echo (DESIGN rule 6): an invoice Ferry itself imported into JAGGAER from a CloudSuite voucher
 * (invoice-to-jaggaer) is that voucher already, and is never posted back.
 */
function echoReason(ctx: FlowContext, inv: SupplierInvoiceSummary): string | null {
  const voucher = voucherOfImportedInvoice(ctx.db, inv.id);
  return voucher ? `${invoiceRecord(inv)} came into JAGGAER from CloudSuite voucher ${voucher} (imported by Ferry), so it is not posted back to CloudSuite.` : null;
}

/** Approved in JAGGAER's workflow and released for payment: the only state in which an invoice becomes a voucher. */
function holdReason(inv: SupplierInvoiceSummary): string | null {
  if (inv.approved && inv.payable) return null;
  const waits = [!inv.approved && 'approval (its workflow is not complete)', !inv.payable && 'release for payment (its payment status is not Payable)'].filter(Boolean);
  return `${invoiceRecord(inv)} waits in JAGGAER for ${waits.join(' and ')}; Ferry posts it once it is approved and payable.`;
}

/** What a run needs besides the invoices, read once: the mapping tables and CloudSuite's reference lists. */
interface RunState {
  mappings: InvoiceMappings;
  validation: ValidationContext;
  tolerance: number;
  pos: Map<string, Promise<PurchaseOrder | null>>;
}

async function prepare(ctx: FlowContext, deps: InvoiceToCloudSuiteDeps): Promise<RunState> {
  // Read live rather than from the reference cache: a vendor reactivated a minute ago should count, and the
  // three lists cost three requests a run.
  const [vendors, accounts, costCenters] = [await deps.cloudsuite.listVendors(), await deps.cloudsuite.listGlAccounts(), await deps.cloudsuite.listCostCenters()];
  // CloudSuite is asked about each posting date once per run (a period reopened a minute ago counts), and
  // about today, the date a record of a closed period could post on instead.
  const today = isoDay(ctx.now());
  const periods = new PeriodBook(periodSource(deps.cloudsuite));
  await periods.load([today]);
  return {
    mappings: loadInvoiceMappings(ctx.db),
    validation: validationContext({
      vendors,
      accounts,
      costCenters,
      periods,
      today,
      mappedSuppliers: listMappings(ctx.db, 'supplier').map((m) => m.key),
      supplierMappingRequired: requiredMappings(ctx.db).has('supplier'),
    }),
    tolerance: matchTolerance(ctx.db),
    pos: new Map(),
  };
}

/** Each PO once per run, however many invoices name it. */
function purchaseOrder(deps: InvoiceToCloudSuiteDeps, state: RunState, number: string): Promise<PurchaseOrder | null> {
  let po = state.pos.get(number);
  if (!po) {
    po = deps.cloudsuite.getPurchaseOrder(number);
    // A failed read is not remembered: the next invoice naming the PO asks again.
    po.catch(() => state.pos.delete(number));
    state.pos.set(number, po);
  }
  return po;
}

async function mapInvoice(ctx: FlowContext, deps: InvoiceToCloudSuiteDeps, state: RunState, invoice: SupplierInvoice): Promise<ApVoucher> {
  if (invoice.kind === 'other') {
    throw new FerryError('unsupported_document', `${invoiceRecord(invoice)} is neither an invoice nor a credit memo in JAGGAER; Ferry posts only those.`);
  }
  const vendorNumber = vendorForSupplier(state.mappings, invoice.supplier);
  const numbers = [...new Set(invoice.lines.map((l) => l.poNumber).filter((n): n is string => !!n))];
  const pos = new Map<string, PurchaseOrder | null>();
  for (const n of numbers) pos.set(n, await purchaseOrder(deps, state, n));
  const poLines = matchPurchaseOrders(invoice, vendorNumber, pos, state.tolerance);
  const voucher = toVoucher({
    invoice,
    vendorNumber,
    vendorCurrency: state.validation.vendors.get(vendorNumber)?.currency ?? null,
    mappings: state.mappings,
    poLines,
    postingDate: postingDateOf(ctx.db, FLOW, sourceKey(invoice.id)),
    // M3 books an invoice line through the PO line it pays (APS450MI takes no account).
    referencePoLines: deps.cloudsuite.product === 'm3',
  });
  await state.validation.periods?.load([voucher.postingDate ?? voucher.invoiceDate]);
  assertValid(validateVoucher(state.validation, voucher));
  return voucher;
}

const written = (r: ApVoucherRecord): Written => ({ targetId: r.voucherNumber, targetStatus: r.posted ? 'posted' : 'entered' });
const cents = (n: number): number => Math.round(n * 100);

async function syncInvoice(ctx: FlowContext, deps: InvoiceToCloudSuiteDeps, state: RunState, invoice: SupplierInvoice, replayOf: number | null = null): Promise<void> {
  const key = sourceKey(invoice.id);
  const leave = echoReason(ctx, invoice) ?? holdReason(invoice);
  if (leave && !getLink(ctx.db, SOURCE, key, TARGET)) {
    skipUnread(ctx, key, leave);
    return;
  }
  await syncRecord(ctx, {
    recordType: RECORD_TYPE,
    sourceSystem: SOURCE,
    sourceKey: key,
    targetSystem: TARGET,
    replayOf,
    map: () => mapInvoice(ctx, deps, state, invoice),
    // Identity before write: a posted voucher under Ferry's reference (Industrial) or the vendor's invoice
    // number (M3) is this invoice, posted by an earlier run whose link was lost; it is adopted, never entered
    // again. A voucher entered but not posted is left to create(), which completes and posts it.
    findExisting: async (v) => {
      const found = await deps.cloudsuite.findVoucherByReference(v);
      if (!found?.posted) return null;
      if (cents(found.amount) !== cents(v.amount)) {
        throw new FerryError(
          'reference_conflict',
          `CloudSuite already holds voucher ${found.voucherNumber} for invoice ${v.invoiceNumber} of vendor ${v.vendorNumber}, for ${found.amount.toFixed(2)} instead of ${v.amount.toFixed(2)}. Ferry did not post a second one; check it in CloudSuite.`,
        );
      }
      return written(found);
    },
    create: async (v) => written(await deps.cloudsuite.createApVoucher(v)),
    // No update: posted money is never edited, so a changed invoice after posting waits for a person.
  });
}

/** An invoice left alone before it is even mapped (an echo, or not approved yet): said in the audit trail, nothing else. */
function skipUnread(ctx: FlowContext, key: string, reason: string): void {
  ctx.counts.skipped++;
  appendAudit(ctx.db, { runId: ctx.runId, flow: ctx.flow, recordType: RECORD_TYPE, sourceSystem: SOURCE, sourceKey: key, targetSystem: TARGET, action: 'skip', outcome: 'skipped', reason });
}

/**
 * Reads the invoice behind a summary (its lines and GL coding) and syncs it. An echo, or an invoice that
 * waits for approval and was never posted, is not even read.
 */
async function syncSummary(ctx: FlowContext, deps: InvoiceToCloudSuiteDeps, lazyState: () => Promise<RunState>, summary: SupplierInvoiceSummary): Promise<void> {
  const key = sourceKey(summary.id);
  const leave = echoReason(ctx, summary) ?? holdReason(summary);
  if (leave && !getLink(ctx.db, SOURCE, key, TARGET)) {
    skipUnread(ctx, key, leave);
    return;
  }
  const invoice = await deps.invoices.get(summary.id);
  if (!invoice) {
    ctx.log.warn({ invoice: summary.id }, 'invoice no longer in JAGGAER');
    return;
  }
  await syncInvoice(ctx, deps, await lazyState(), invoice);
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= make());
}

export const invoiceToCloudSuite: FlowModule<InvoiceToCloudSuiteDeps> = {
  connect(profile, pool) {
    return {
      cloudsuite: connectCloudSuite(profile, pool).adapter,
      invoices: connectJaggaer(profile, pool).client.invoices,
      ...READ_DEFAULTS,
    };
  },

  async run(ctx, deps) {
    const cursor = getCursor(ctx.db, FLOW);
    const since = cursor ? new Date(Date.parse(cursor) - deps.overlapMs) : new Date(0);
    // JAGGAER lists invoices in id order, not by change time, so a cursor taken from one of its pages could
    // pass over an invoice changed earlier that sits on a later page. The summaries are read first (every
    // page), then recorded oldest change first in pages of pageSize, the cursor moving after each.
    const summaries: SupplierInvoiceSummary[] = [];
    for await (const page of deps.invoices.changedSince(since)) summaries.push(...page);
    summaries.sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt) || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
    const state = once(() => prepare(ctx, deps));
    let processed = 0;
    for (let start = 0, page = 1; start < summaries.length; start += deps.pageSize, page++) {
      const chunk = summaries.slice(start, start + deps.pageSize);
      for (const summary of chunk) {
        await syncSummary(ctx, deps, state, summary);
        ctx.progress({ page, processed: ++processed });
      }
      // Every invoice changed up to here is recorded as done, skipped or failed (each in its own commit).
      const high = chunk.at(-1)!.modifiedAt;
      if (!ctx.dryRun && (!cursor || high > cursor)) setCursor(ctx.db, FLOW, high);
    }
  },

  async replay(ctx, deps, items: ReplayItem[]) {
    const state = once(() => prepare(ctx, deps));
    let processed = 0;
    for (const item of items) {
      const invoice = await deps.invoices.get(invoiceIdOf(item.key));
      if (invoice) await syncInvoice(ctx, deps, await state(), invoice, item.failureId);
      else ctx.log.warn({ invoice: item.key }, 'invoice to replay no longer exists in JAGGAER');
      ctx.progress({ page: 0, processed: ++processed });
    }
  },
};
