import type { SandboxContext, SandboxTenant } from '../context';
import { DAY, int, pick, round2, startOfDay, uuid, type Rand } from './rand';
import type { GlSegment, JaggaerInvoice, JaggaerInvoiceLine, JaggaerState, JaggaerSupplier } from './state';
import { netDays } from './suppliers';
import { readCharts, readCostCenters, readPos, readVendors, type TenantPo, type TenantPoLine } from './tenant';

// Builds invoices the way they arise in JAGGAER: most against a PO the tenant really has (the PO's vendor's
// supplier, the PO's lines, quantities and prices), and the cases an AP integration must not choke on — a
// price that does not match, a PO number CloudSuite never issued, a supplier without an ERP number, invoices
// with no PO at all, credit memos.

export type InvoiceKind = 'match' | 'mismatch' | 'unknown-po' | 'no-extcode' | 'non-po' | 'credit';

/** Everything the builders look up, read once per generation or request. */
export interface BuildEnv {
  state: JaggaerState;
  r: Rand;
  /** POs a supplier invoice can be raised against: not planned, with lines, vendor known to JAGGAER. */
  pos: TenantPo[];
  allPoNumbers: Set<string>;
  poByNumber: Map<string, TenantPo>;
  supplierByExt: Map<string, JaggaerSupplier>;
  vendorCurrency: Map<string, string>;
  accounts: string[];
  costCenters: string[];
}

const FALLBACK_ACCOUNTS = ['610100', '620400', '640100', '650300', '660100'];
const FALLBACK_COST_CENTERS = ['CC100', 'CC200', 'CC300'];
const AP_USERS = ['ap.dkeller', 'ap.pryamos', 'ap.mchen'];
const TAX_RATES = [0, 0, 0.0725, 0.095];
const NON_PO_ITEMS: [string, string, number][] = [
  ['Conference registration', 'EA', 650], ['Courier services, monthly', 'EA', 184.2], ['Equipment repair, on site', 'HR', 120],
  ['Subscription renewal', 'EA', 1290], ['Catering, team workshop', 'EA', 415.75], ['Calibration service', 'EA', 360],
];

export function buildEnv(ctx: SandboxContext, tenant: SandboxTenant, state: JaggaerState, stream: string): BuildEnv {
  const supplierByExt = new Map<string, JaggaerSupplier>();
  for (const s of state.suppliers) if (s.extCode) supplierByExt.set(s.extCode, s);
  const allPos = readPos(tenant);
  const vendorCurrency = new Map<string, string>();
  for (const v of readVendors(tenant)) if (v.currCode) vendorCurrency.set(v.vendNum, v.currCode);
  const units = new Set<string>();
  for (const p of allPos) for (const l of p.lines) if (l.units[0]) units.add(l.units[0]);
  const costCenters = [...new Set([...readCostCenters(tenant).keys(), ...units])];
  const charts = [...readCharts(tenant).keys()];
  return {
    state,
    r: ctx.random(stream),
    pos: allPos.filter((p) => p.stat !== 'P' && p.lines.length > 0 && p.vendNum !== null && supplierByExt.has(p.vendNum)),
    allPoNumbers: new Set(allPos.map((p) => p.poNum)),
    poByNumber: new Map(allPos.map((p) => [p.poNum, p])),
    supplierByExt,
    vendorCurrency,
    accounts: charts.length ? charts : FALLBACK_ACCOUNTS,
    costCenters: costCenters.length ? costCenters : FALLBACK_COST_CENTERS,
  };
}

/** The GL coding of a CloudSuite PO line, one value per configured chart-of-accounts segment. */
export function glFromPoLine(segments: GlSegment[], line: TenantPoLine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const seg of segments) {
    const v = seg.source === 'account' ? line.account : line.units[Number(seg.source.slice(4)) - 1];
    if (v) out[seg.internalName] = v;
  }
  return out;
}

/** Coding an AP clerk types on a non-PO invoice: an account and a cost center, other segments left open. */
function glByHand(env: BuildEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const seg of env.state.config.glSegments) {
    if (seg.source === 'account') out[seg.internalName] = pick(env.r, env.accounts);
    else if (seg.source === 'unit1') out[seg.internalName] = pick(env.r, env.costCenters);
  }
  return out;
}

export type When = { mode: 'generated'; anchor: number } | { mode: 'now'; now: number };

function dates(env: BuildEnv, when: When, base: number | null, termsDays: number) {
  let invoiceDate: number;
  let lastUpdate: number;
  if (when.mode === 'now') {
    invoiceDate = startOfDay(when.now);
    lastUpdate = when.now;
  } else {
    // Generated dates stay within the 28 days before the anchor (after a PO's order date, which is at most 30
    // days back): that much lies in the current or the previous calendar month whatever day the world starts
    // on, and the sample books keep both open, so no generated invoice lands in a closed period by accident.
    const latest = when.anchor - DAY;
    const from = base ?? when.anchor - int(env.r, 5, 25) * DAY;
    invoiceDate = startOfDay(Math.min(from + int(env.r, 3, 20) * DAY, latest - int(env.r, 0, 4) * DAY));
    lastUpdate = Math.min(invoiceDate + int(env.r, 1, 72) * 3_600_000 + int(env.r, 0, 3_599_999), when.anchor - int(env.r, 1, 3_600_000));
  }
  const iso = (t: number) => new Date(t).toISOString();
  return { invoiceDate: iso(invoiceDate), invoiceCreateDate: iso(invoiceDate), dueDate: iso(invoiceDate + termsDays * DAY), lastUpdate: iso(lastUpdate) };
}

function line(env: BuildEnv, n: number, fields: Omit<JaggaerInvoiceLine, 'lineId' | 'lineNumber'>): JaggaerInvoiceLine {
  return { lineId: env.state.next.lineId++, lineNumber: n, ...fields };
}

function unknownPoNumber(env: BuildEnv): string {
  const sample = env.pos[0]?.poNum ?? 'PO00010001';
  const prefix = /^[A-Za-z]*/.exec(sample)![0];
  const width = sample.length - prefix.length;
  for (;;) {
    const candidate = `${prefix}9${String(int(env.r, 0, 10 ** Math.max(width - 1, 4) - 1)).padStart(Math.max(width - 1, 4), '0')}`;
    if (!env.allPoNumbers.has(candidate)) return candidate;
  }
}

/** Falls back to a kind the tenant's data can support (no POs, no ERP-linked suppliers). */
function feasible(env: BuildEnv, kind: InvoiceKind): InvoiceKind {
  const linked = env.supplierByExt.size > 0;
  if ((kind === 'match' || kind === 'mismatch' || kind === 'credit') && env.pos.length === 0) return linked ? 'unknown-po' : 'no-extcode';
  if ((kind === 'unknown-po' || kind === 'non-po') && !linked) return 'no-extcode';
  if (kind === 'no-extcode' && !env.state.suppliers.some((s) => !s.extCode)) return linked ? 'non-po' : 'no-extcode';
  return kind;
}

export function buildInvoice(env: BuildEnv, wanted: InvoiceKind, when: When, opts: { po?: TenantPo; source?: JaggaerInvoice['invoiceSource'] } = {}): JaggaerInvoice {
  const { r, state } = env;
  const kind = opts.po ? wanted : feasible(env, wanted);
  const segments = state.config.glSegments;
  const po = kind === 'match' || kind === 'mismatch' || kind === 'credit' ? (opts.po ?? pick(r, env.pos)) : null;
  const linked = [...env.supplierByExt.values()];
  const unlinked = state.suppliers.filter((s) => !s.extCode);
  const supplier =
    po && po.vendNum && env.supplierByExt.get(po.vendNum)
      ? env.supplierByExt.get(po.vendNum)!
      : kind === 'no-extcode' || linked.length === 0
        ? pick(r, unlinked.length ? unlinked : state.suppliers)
        : pick(r, linked);
  const taxRate = pick(r, TAX_RATES);
  const shipTo = po?.whse ?? 'MAIN';
  const lines: JaggaerInvoiceLine[] = [];

  if (po) {
    const credit = kind === 'credit';
    const poLines = credit ? [pick(r, po.lines)] : po.lines;
    const off = kind === 'mismatch' ? int(r, 0, poLines.length - 1) : -1;
    const partial = !credit && r() < 0.2;
    poLines.forEach((pl, i) => {
      let quantity = partial && pl.quantity >= 2 ? Math.floor(pl.quantity / 2) : pl.quantity;
      if (credit) quantity = -Math.max(1, Math.min(pl.quantity, int(r, 1, 3)));
      // An over-billed price: 7% above the PO, outside any sensible match tolerance.
      const unitPrice = i === off ? round2(pl.unitCost * 1.07 + 0.01) : pl.unitCost;
      lines.push(
        line(env, i + 1, {
          description: pl.description,
          unitOfMeasure: pl.um,
          quantity,
          unitPrice,
          poNumber: po.poNum,
          poLineNumber: String(pl.poLine),
          taxCharge1: round2(quantity * unitPrice * taxRate),
          matchStatus: i === off ? 'Unmatched' : 'Matched',
          gl: glFromPoLine(segments, pl),
          shipToCode: shipTo,
        }),
      );
    });
  } else {
    const count = int(r, 1, 3);
    const poNumber = kind === 'unknown-po' ? unknownPoNumber(env) : null;
    for (let i = 0; i < count; i++) {
      const [description, um, price] = pick(r, NON_PO_ITEMS);
      const quantity = um === 'HR' ? int(r, 2, 16) : int(r, 1, 4);
      lines.push(
        line(env, i + 1, {
          description,
          unitOfMeasure: um,
          quantity,
          unitPrice: price,
          poNumber,
          poLineNumber: poNumber ? String(i + 1) : null,
          taxCharge1: round2(quantity * price * taxRate),
          matchStatus: poNumber ? 'Unmatched' : 'Do Not Match',
          gl: glByHand(env),
          shipToCode: shipTo,
        }),
      );
    }
  }

  const matchStatus = kind === 'match' || kind === 'credit' ? 'Matched' : kind === 'mismatch' || kind === 'unknown-po' ? 'Unmatched' : 'Do Not Match';
  const pending = matchStatus === 'Unmatched' || r() < 0.1;
  const termsDays = netDays(supplier.paymentTerms);
  const d = dates(env, when, po?.orderDate ?? null, termsDays);
  const user = pick(r, AP_USERS);
  const number = state.next.invoiceNumber++;
  return {
    invoiceId: state.next.invoiceId++,
    originalRequestMessageId: uuid(r),
    invoiceName: `${d.invoiceDate.slice(0, 10)} ${user} ${String(int(r, 1, 9)).padStart(2, '0')}`,
    invoiceNumber: `I${String(number).padStart(5, '0')}`,
    supplierInvoiceNumber: `${kind === 'credit' ? 'CM' : 'INV'}-${d.invoiceDate.slice(2, 4)}${String(int(r, 1000, 99999))}`,
    invoiceType: kind === 'credit' ? 'Credit memo' : 'Invoice',
    invoiceSource: opts.source ?? (po ? pick(r, ['Manual', 'Automated', 'Form Request'] as const) : pick(r, ['Manual', 'Form Request'] as const)),
    ...d,
    invoicedBy: user,
    supplier: { bravoId: supplier.bravoId, id: supplier.supplierId, name: supplier.companyName, supplierNumber: supplier.extCode, duns: supplier.extUniqueCode },
    terms: { code: supplier.paymentTerms ?? `Net ${termsDays}`, daysAfter: termsDays },
    currency: po?.currCode ?? env.vendorCurrency.get(supplier.extCode ?? '') ?? 'USD',
    shippingCharge: po && kind !== 'credit' && r() < 0.25 ? round2(int(r, 1500, 9000) / 100) : 0,
    handlingCharge: 0,
    discountAmount: 0,
    matchStatus,
    workflowStatus: pending ? 'Pending' : 'Completed',
    paymentStatus: pending ? 'InProcess' : 'Payable',
    batchId: null,
    lines,
  };
}

/** How far before the anchor the deliberate late invoice is dated: always two calendar months or more back. */
export const LATE_INVOICE_DAYS = 70;

/**
 * A non-PO invoice from the supplier of a real PO (so its vendor is active in CloudSuite), coded by AP to that
 * PO's first account and cost center, dated LATE_INVOICE_DAYS before the anchor — a period the sample books
 * have closed (they close two months behind, and 70 days back is past that on every calendar day) — that
 * arrived, was approved and released for payment only yesterday. Its only problem is the closed period.
 * Null when the tenant has no PO whose vendor JAGGAER knows.
 */
export function buildLateInvoice(env: BuildEnv, anchor: number): JaggaerInvoice | null {
  const po = env.pos[0];
  const supplier = po?.vendNum ? env.supplierByExt.get(po.vendNum) : undefined;
  if (!po || !supplier) return null;
  const inv = buildInvoice(env, 'non-po', { mode: 'generated', anchor });
  const gl = glFromPoLine(env.state.config.glSegments, po.lines[0]!);
  const termsDays = netDays(supplier.paymentTerms);
  const invoiceDate = anchor - LATE_INVOICE_DAYS * DAY;
  const arrived = anchor - DAY;
  const iso = (t: number) => new Date(t).toISOString();
  return {
    ...inv,
    invoiceName: `${iso(invoiceDate).slice(0, 10)}${inv.invoiceName.slice(10)}`,
    supplierInvoiceNumber: `INV-${iso(invoiceDate).slice(2, 4)}${inv.supplierInvoiceNumber.slice(6)}`,
    invoiceSource: 'Manual',
    invoiceDate: iso(invoiceDate),
    invoiceCreateDate: iso(arrived),
    dueDate: iso(invoiceDate + termsDays * DAY),
    lastUpdate: iso(arrived + int(env.r, 9, 15) * 3_600_000),
    supplier: { bravoId: supplier.bravoId, id: supplier.supplierId, name: supplier.companyName, supplierNumber: supplier.extCode, duns: supplier.extUniqueCode },
    terms: { code: supplier.paymentTerms ?? `Net ${termsDays}`, daysAfter: termsDays },
    currency: po.currCode ?? env.vendorCurrency.get(po.vendNum!) ?? 'USD',
    matchStatus: 'Do Not Match',
    workflowStatus: 'Completed',
    paymentStatus: 'Payable',
    lines: inv.lines.map((l) => ({ ...l, gl: { ...gl } })),
  };
}

/**
 * Which kinds to generate: the first six cover every case once, so even a tiny tenant shows each of them
 * (and the list carries every header variant the real list does); after that, a realistic mix.
 */
export function kindFor(r: Rand, index: number): InvoiceKind {
  const fixed: InvoiceKind[] = ['match', 'mismatch', 'unknown-po', 'no-extcode', 'non-po', 'credit'];
  if (index < fixed.length) return fixed[index]!;
  const x = r();
  if (x < 0.62) return 'match';
  if (x < 0.72) return 'mismatch';
  if (x < 0.79) return 'unknown-po';
  if (x < 0.85) return 'no-extcode';
  if (x < 0.96) return 'non-po';
  return 'credit';
}

export function invoiceAmounts(inv: JaggaerInvoice): { subtotal: number; tax: number; total: number } {
  const subtotal = round2(inv.lines.reduce((sum, l) => sum + round2(l.quantity * l.unitPrice), 0));
  const tax = round2(inv.lines.reduce((sum, l) => sum + l.taxCharge1, 0));
  return { subtotal, tax, total: round2(subtotal + tax + inv.shippingCharge + inv.handlingCharge - inv.discountAmount) };
}
