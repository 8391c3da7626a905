import type { ApVoucherPage, EnteredVoucher } from './adapter';
import { ConnectorError } from '../../http/errors';
import { M3Error, type M3Client } from './m3-client';
import { day, key, num, outputs, text } from './m3-fields';

// Reading supplier invoices (vouchers) back from CloudSuite M3, whoever entered them. M3 publishes no list of
// supplier invoices by change; what it publishes (contracts/cloudsuite-m3.json) is the general ledger by
// accounting date (GLS200MI LstVouchersByDt: every line, with its journal entry, voucher and registration
// time) and the supplier invoice behind a journal entry (APS200MI GetInvoice). Which ledger lines are an
// invoice's payable is the tenant's own setup, so the M3 administrator names the payables account(s); then:
//   1. list the ledger lines dated from two months before the cursor on (a voucher registered now may be
//      dated back into a period still open; older ones are not seen), in one list (maxrecs=0: the list
//      takes no key to restart from);
//   2. a voucher with a line on a payables account, registered at or after the cursor, is a candidate;
//   3. GetInvoice on that payable line gives the supplier invoice; one whose own voucher is another (a payment
//      of it) or that M3 refuses (not an invoice) is left out;
//   4. the voucher's other lines are its distributions.
// The registration date and time (RGDT, RGTM) are read as UTC; the flows' overlap absorbs a small offset.
// Without the payables account Ferry reads nothing and says so (m3.ts supports.voucherReads).

const ledger = outputs('GLS200MI', 'LstVouchersByDt', {
  YEA4: key, JRNO: key, JSNO: key, VSER: text, VONO: key, AIT1: text, AIT2: text, AIT3: text, ACAM: num, VTXT: text, RGDT: key, RGTM: text,
});
const invoice = outputs('APS200MI', 'GetInvoice', { SUNO: key, SINO: text, VONO: key, VSER: text, IVDT: day, DUDT: day, CUCD: text, CUAM: num });
type LedgerLine = ReturnType<typeof ledger.read>[number];

/** How far before the cursor the accounting dates are read: vouchers are seldom dated further back. */
const LOOKBACK_DAYS = 62;
const DAY_MS = 86_400_000;
const ymd = (t: number): string => new Date(t).toISOString().slice(0, 10).replace(/-/g, '');

interface Candidate {
  lines: LedgerLine[];
  payable: LedgerLine;
  registered: string;
}

export class M3VoucherReads {
  constructor(
    private readonly m3: M3Client,
    private readonly payablesAccounts: readonly string[] | undefined,
  ) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage> {
    const sinceIso = since.toISOString();
    const candidates = (await this.candidates(Math.max(since.getTime() - LOOKBACK_DAYS * DAY_MS, 0))).filter((c) => c.registered >= sinceIso);
    const size = Math.max(pageSize, 1);
    for (let i = 0; i < candidates.length; i += size) {
      const page = candidates.slice(i, i + size);
      const vouchers: EnteredVoucher[] = [];
      for (const c of page) {
        const v = await this.voucher(c);
        if (v) vouchers.push(v);
      }
      yield { vouchers, maxModifiedAt: page.at(-1)!.registered };
    }
  }

  async get(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> {
    for (const c of await this.candidates(0)) {
      if (Number(c.payable.VONO) !== Number(voucherNumber)) continue;
      const v = await this.voucher(c);
      if (v?.vendorNumber === vendorNumber) return v;
    }
    return null;
  }

  /** Vouchers dated from `fromMs` on with a line on a payables account, oldest registration first. */
  private async candidates(fromMs: number): Promise<Candidate[]> {
    const accounts = this.payablesAccounts;
    if (!accounts?.length) {
      throw new ConnectorError(
        'not_set_up',
        'Ferry reads no supplier invoices back from CloudSuite M3 until it knows your payables account(s): set them with "ferry connect cloudsuite --m3-payables-account ACCOUNT".',
        { system: 'CloudSuite', retryable: false },
      );
    }
    const records = await this.m3.read('GLS200MI', 'LstVouchersByDt', { FRDT: ymd(fromMs), TODT: '99991231' }, { maxrecs: 0, what: 'listing vouchers in the general ledger' });
    const byVoucher = new Map<string, LedgerLine[]>();
    for (const l of ledger.read(records)) {
      const k = `${l.YEA4}|${l.VSER ?? ''}|${l.VONO}`;
      byVoucher.set(k, [...(byVoucher.get(k) ?? []), l]);
    }
    const out: Candidate[] = [];
    for (const lines of byVoucher.values()) {
      const payable = lines.find((l) => l.AIT1 !== null && accounts.includes(l.AIT1));
      if (payable) out.push({ lines, payable, registered: registeredAt(payable) });
    }
    return out.sort((a, b) => (a.registered < b.registered ? -1 : a.registered > b.registered ? 1 : Number(a.payable.VONO) - Number(b.payable.VONO)));
  }

  /** The supplier invoice of a candidate voucher, or null when the voucher is not one (a payment, a journal). */
  private async voucher(c: Candidate): Promise<EnteredVoucher | null> {
    const p = c.payable;
    let records;
    try {
      records = await this.m3.read('APS200MI', 'GetInvoice', { YEA4: p.YEA4, JRNO: p.JRNO, JSNO: p.JSNO }, { what: `reading the supplier invoice of voucher ${p.VONO}` });
    } catch (err) {
      if (err instanceof M3Error) return null;
      throw err;
    }
    const inv = invoice.read(records)[0];
    if (!inv || Number(inv.VONO) !== Number(p.VONO) || (inv.VSER ?? '') !== (p.VSER ?? '')) return null;
    return {
      voucherNumber: inv.VONO,
      vendorNumber: inv.SUNO,
      invoiceNumber: inv.SINO ?? '',
      // M3 keeps no free reference on a supplier invoice (see m3-vouchers.ts).
      reference: null,
      invoiceDate: inv.IVDT,
      amount: inv.CUAM,
      // In the general ledger: posted.
      posted: true,
      dueDate: inv.DUDT,
      currency: inv.CUCD,
      // GetInvoice names no purchase order.
      purchaseOrder: null,
      status: null,
      modifiedAt: c.registered,
      distributions: c.lines
        .filter((l) => l !== p && !(l.AIT1 !== null && this.payablesAccounts!.includes(l.AIT1)))
        .sort((a, b) => Number(a.JSNO) - Number(b.JSNO))
        .map((l) => ({ account: l.AIT1 ?? '', costCenter: l.AIT2, project: l.AIT3, amount: l.ACAM, description: l.VTXT })),
    };
  }
}

/** ISO time of a line's registration (RGDT yyyyMMdd, RGTM HHmmss), read as UTC. */
function registeredAt(l: LedgerLine): string {
  const t = (l.RGTM ?? '').padStart(6, '0');
  return new Date(`${l.RGDT.slice(0, 4)}-${l.RGDT.slice(4, 6)}-${l.RGDT.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.000Z`).toISOString();
}
