import type { Row } from '../ido-filter';
import type { IdoTables } from '../ido-tables';
import { m3Date, m3Number, m3Time } from './mapping';
import { M3_COMPANY, M3_DIVISION, type M3Record } from './types';

// The general ledger as M3's GLS200MI and APS200MI show it, read from the shared books' SLLedgers rows: the
// lines of one posted supplier invoice (the rows of one VendNum/Voucher) form an A/P voucher, series AP,
// numbered by its voucher number; the lines of one posted journal (one FromId, Ref and date) a GL voucher,
// series GL, numbered 1,000,000 + its first transaction number so the two series never share a number. The
// journal number (JRNO) is the voucher number, the journal line (JSNO) the line's place in it. These are the
// sandbox's numbering; M3 publishes the fields, not how a tenant numbers.

export interface GlVoucher {
  key: string;
  series: 'AP' | 'GL';
  number: string;
  /** For an A/P voucher: the posted invoice (SLAptrxps). */
  invoice: Row | null;
  lines: M3Record[];
}

const GL_OFFSET = 1_000_000;

/** Every voucher with a line dated from..to (yyyyMMdd, inclusive), by date, series and number. */
export function glVouchers(ido: IdoTables, from = '00000000', to = '99999999'): GlVoucher[] {
  const groups = new Map<string, Row[]>();
  for (const r of ido.rows('SLLedgers')) {
    const day = m3Date(r.TransDate);
    if (day < from || day > to) continue;
    const key = r.VendNum && r.Voucher ? `AP|${r.VendNum}|${r.Voucher}` : `GL|${r.FromId ?? ''}|${r.Ref ?? ''}|${day}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const invoices = new Map(ido.rows('SLAptrxps').map((v) => [`AP|${v.VendNum}|${v.Voucher}`, v]));
  const currency = new Map(ido.rows('SLVendors').map((v) => [v.VendNum ?? '', v.CurrCode ?? '']));
  const out: GlVoucher[] = [];
  for (const [key, rows] of groups) {
    rows.sort((a, b) => Number(a.TransNum) - Number(b.TransNum));
    const ap = key.startsWith('AP|');
    const number = ap ? String(Number(rows[0]!.Voucher)) : String(GL_OFFSET + Number(rows[0]!.TransNum));
    const series = ap ? 'AP' : 'GL';
    const cucd = ap ? (currency.get(rows[0]!.VendNum ?? '') ?? '') : '';
    out.push({
      key,
      series,
      number,
      invoice: ap ? (invoices.get(key) ?? null) : null,
      lines: rows.map((r, i) => ({
        CONO: M3_COMPANY, DIVI: M3_DIVISION, YEA4: m3Date(r.TransDate).slice(0, 4), JRNO: number, JSNO: String(i + 1), VSER: series, VONO: number,
        ACDT: m3Date(r.TransDate), AIT1: r.Acct ?? '', AIT2: r.AcctUnit1 ?? '', ACAM: m3Number(r.DomAmount), CUAM: m3Number(r.DomAmount), CUCD: cucd,
        RGDT: m3Date(r.RecordDate), RGTM: m3Time(r.RecordDate), LMDT: m3Date(r.RecordDate),
      })),
    });
  }
  const first = (v: GlVoucher) => v.lines[0]!;
  return out.sort((a, b) => first(a).ACDT!.localeCompare(first(b).ACDT!) || a.series.localeCompare(b.series) || Number(a.number) - Number(b.number));
}
