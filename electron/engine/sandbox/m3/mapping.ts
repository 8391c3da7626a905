import type { Row } from '../ido-filter';
import { M3_COMPANY, M3_DIVISION, type M3Record } from './types';

// M3 is a second view over the tenant's CloudSuite rows, which are kept under Industrial (IDO) names. Every MI
// program reads and writes those rows through IdoTables, so a scenario runs against either product and both
// views always agree. Records go out with exactly the contract's output fields (execute.ts); the mapping,
// M3 field ← IDO property, for the fields the world has:
//
// PO head (PPSSPPMI LstSupHead, PPS200MI GetHead)  ← SLPos
//   PUNO ← PoNum   SUNO ← VendNum   PUDT ← OrderDate (yyyyMMdd)   ORTY ← Type   FACI, WHLO ← Whse   BUYE ← Buyer
//   PUSL ← Stat: P→'05', O→'20', C→'85' (lowest status; the sandbox's reading of M3's scale)
//   PUST ← highest status over head and lines   CUCD ← the vendor's CurrCode   TEPY ← TermsCode   PROJ ← Uf_ProjNum
//   DWDT ← earliest line DueDate   NOLN ← number of lines   NTAM ← Σ quantity × price
//   LMTS ← the head's RecordDate (ms since 1970, UTC): a line's change does not move it, as M3 stamps each table
// PO line (PPS200MI LstLine) ← SLPoItems
//   PNLI ← PoLine   PNLS ← PoRelease   ITNO ← Item   PITD ← Description   ORQA ← QtyOrdered   PUPR ← ItemCost
//   PUUN, PPUN ← UM   DWDT ← DueDate   PUSL, PUST ← Stat (O→'20', C→'85'; '05' while the head is P)
//   FACI, WHLO ← Whse   LNAM = ORQA × PUPR. No accounting: M3 derives a PO line's from its rules.
// Supplier (CRS620MI) ← SLVendors + SLVendaddrs (same VendNum)
//   SUNO ← VendNum   SUNM ← Name   CUCD ← CurrCode   TEPY ← TermsCode   STAT ← Stat: A→'20', I→'90' (blocked)
//   SUCL ← VendType   PHNO ← Phone   CSCD ← the address's Country
//   The address row is the supplier's one address: type (ADTE) 1, number (ADID) MAIN, start date (STDT) its
//   CreateDate; ADR1/ADR2 ← Addr_1/Addr_2, TOWN ← City, ECAR ← State, PONO ← Zip, CSCD ← Country, SUNM ← Name.
//   Contact and e-mail have no MI field in the contract: M3 neither shows nor changes them.
// Accounting strings (APS450MI lines, GLS840MI lines, CRS630MI identities, GLS200MI lines)
//   AIT1 (account) ← Acct / SLCharts   AIT2 (cost center) ← AcctUnit1 / SLUnitcd1s   AIT3 (project) ← ProjNum / SLProjs
//   AIT4..AIT7: dimensions not in use in this company (a value there is refused, as an undefined identity).
// Posted supplier invoices and journals: the shared books (books.ts), SLAptrxps + SLLedgers (gl-view.ts).
//
// Values go out the way m3api-rest sends them: strings, right-trimmed, dates yyyyMMdd, numbers without padding.

/** The one supplier address the sandbox company keeps per supplier (CRS620MI address type and number). */
export const SUPPLIER_ADDRESS = { ADTE: '1', ADID: 'MAIN' } as const;

/** yyyyMMdd from an IDO date (yyyyMMdd HH:mm:ss.fff). */
export const m3Date = (ido: string | null | undefined): string => (ido ? ido.slice(0, 8) : '');

/** IDO date value (midnight) from an M3 yyyyMMdd. */
export const idoDay = (m3: string): string => `${m3} 00:00:00.000`;

/** Milliseconds since 1970 (UTC) of an IDO date: M3's LMTS change stamp, which lets a client poll for changes. */
export function m3Timestamp(ido: string | null | undefined): string {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(ido ?? '');
  if (!m) return '';
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return String(Date.UTC(y!, mo! - 1, d!, h, mi, s, ms));
}

/** HHmmss of an IDO date: M3's registration time (RGTM). */
export const m3Time = (ido: string | null | undefined): string => (ido ? ido.slice(9, 17).replace(/:/g, '') : '');

/** IDO decimals (12.50000000) go out as M3 numbers (12.5). */
export function m3Number(ido: string | null | undefined): string {
  if (ido === null || ido === undefined || ido === '') return '';
  const n = Number(ido);
  return Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : '';
}

const text = (v: string | null | undefined): string => (v ?? '').trimEnd();

// PO status: Industrial's P/O/C on M3's two-digit scale.
const PO_STATUS: Record<string, string> = { P: '05', O: '20', C: '85' };
export const poStatus = (stat: string | null | undefined): string => PO_STATUS[stat ?? ''] ?? '20';

export const supplierStatus = (stat: string | null | undefined): string => (stat === 'A' ? '20' : '90');
export const idoVendorStat = (status: string): string => (status === '20' ? 'A' : 'I');

export function poLineRecord(line: Row, head: Row | undefined): M3Record {
  const qty = Number(line.QtyOrdered ?? 0);
  const price = Number(line.ItemCost ?? 0);
  const status = head?.Stat === 'P' ? '05' : poStatus(line.Stat);
  return {
    CONO: M3_COMPANY, PUNO: text(line.PoNum), PNLI: text(line.PoLine), PNLS: text(line.PoRelease), ITNO: text(line.Item),
    PITD: text(line.Description), ORQA: m3Number(line.QtyOrdered), PUPR: m3Number(line.ItemCost), PUUN: text(line.UM),
    PPUN: text(line.UM), DWDT: m3Date(line.DueDate), PUSL: status, PUST: status, FACI: text(line.Whse), WHLO: text(line.Whse),
    SUNO: text(head?.VendNum), LNAM: m3Number(String(Math.round(qty * price * 100) / 100)),
  };
}

export function poHeadRecord(po: Row, lines: readonly Row[], vendor?: Row): M3Record {
  const low = poStatus(po.Stat);
  const lineStatuses = lines.map((l) => (po.Stat === 'P' ? '05' : poStatus(l.Stat)));
  const due = lines.map((l) => m3Date(l.DueDate)).filter(Boolean).sort();
  const net = lines.reduce((s, l) => s + Math.round(Number(l.QtyOrdered ?? 0) * Number(l.ItemCost ?? 0) * 100), 0);
  return {
    CONO: M3_COMPANY, DIVI: M3_DIVISION, PUNO: text(po.PoNum), SUNO: text(po.VendNum), PUDT: m3Date(po.OrderDate), PUSL: low,
    PUST: [low, ...lineStatuses].sort().at(-1)!, ORTY: text(po.Type), FACI: text(po.Whse), WHLO: text(po.Whse), BUYE: text(po.Buyer),
    CUCD: text(vendor?.CurrCode), TEPY: text(po.TermsCode), PROJ: text(po.Uf_ProjNum), DWDT: due[0] ?? '', NOLN: String(lines.length),
    NTAM: m3Number(String(net / 100)), LMTS: m3Timestamp(po.RecordDate),
  };
}

export function supplierRecord(vendor: Row, addr: Row | undefined): M3Record {
  return {
    CONO: M3_COMPANY, SUNO: text(vendor.VendNum), SUNM: text(vendor.Name), STAT: supplierStatus(vendor.Stat), SUCL: text(vendor.VendType),
    CUCD: text(vendor.CurrCode), TEPY: text(vendor.TermsCode), PHNO: text(vendor.Phone), CSCD: text(addr?.Country),
  };
}

export function addressRecord(addr: Row): M3Record {
  return {
    CONO: M3_COMPANY, SUNO: text(addr.VendNum), ...SUPPLIER_ADDRESS, STDT: m3Date(addr.CreateDate), SUNM: text(addr.Name),
    ADR1: text(addr.Addr_1), ADR2: text(addr.Addr_2), TOWN: text(addr.City), ECAR: text(addr.State), PONO: text(addr.Zip), CSCD: text(addr.Country), PRIA: '1',
  };
}
