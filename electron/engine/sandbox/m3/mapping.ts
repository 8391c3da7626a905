import type { Row } from '../ido-filter';
import { M3_COMPANY, M3_DIVISION, type M3Record } from './types';

// M3 is a second view over the tenant's CloudSuite rows, which are kept under Industrial (IDO) names. Every MI
// program reads and writes those rows through IdoTables, so a scenario runs against either product and both
// views always agree. The mapping, M3 field ← IDO property:
//
// PPS200MI head        ← SLPos
//   PUNO  ← PoNum                     SUNO ← VendNum              PUDT ← OrderDate (yyyyMMdd)
//   PUSL  ← Stat: P→'05' preliminary, O→'20' registered, C→'85' invoiced (lowest status)
//   PUST  ← highest status over head and lines                    ORTY ← Type
//   FACI, WHLO ← Whse                 BUYE ← Buyer                CUCD ← CurrCode       TEPY ← TermsCode
//   PROJ  ← Uf_ProjNum                DWDT ← earliest line DueDate
//   RGDT  ← CreateDate (yyyyMMdd)     LMDT ← RecordDate (yyyyMMdd) LMTS ← RecordDate (ms since 1970, UTC)
// PPS200MI line        ← SLPoItems
//   PUNO ← PoNum   PNLI ← PoLine   PNLS ← PoRelease   ITNO ← Item   PITD ← Description   ORQA ← QtyOrdered
//   PUPR ← ItemCost   PUUN, PPUN ← UM   DWDT ← DueDate   PUSL ← Stat (O→'20', C→'85'; '05' while the head is P)
//   FACI, WHLO ← Whse   LNAM = ORQA × PUPR   PROJ ← head's Uf_ProjNum
//   AIT1 ← NonInvAcct   AIT2 ← NonInvAcctUnit1 (sandbox extra: real M3 derives PO accounting from rules)
// CRS620MI supplier    ← SLVendors + SLVendaddrs (same VendNum)
//   SUNO ← VendNum   SUNM ← Name   CUCD ← CurrCode   TEPY ← TermsCode   STAT ← Stat: A→'20', I→'90' (blocked)
//   SUCL ← VendType   PHNO ← Phone   EMAL ← ExternalEmailAddr   YREF ← Contact
//   ADR1 ← Addr_1   ADR2 ← Addr_2   TOWN ← City   ECAR ← State   PONO ← Zip   CSCD ← Country
// Accounting strings (APS450MI lines, GLS840MI lines, CRS630MI identities)
//   AIT1 (account) ← Acct / SLCharts   AIT2 (cost center) ← AcctUnit1 / SLUnitcd1s   AIT3 (project) ← ProjNum / SLProjs
//   AIT4..AIT7: dimensions not in use in this company (a value there is refused, as an undefined identity).
// APS450MI approved invoice → SLAptrxs: VendNum ← SUNO, Voucher ← VONO, InvNum ← SINO, InvDate ← IVDT,
//   InvAmt ← CUAM, PoNum ← PUNO, DueDate ← DUDT, CurrCode ← CUCD, ApAcct ← 201000, Ref ← 'APS450MI INBN <n>'
//   and one SLAptrxds per line: DistSeq ← line order, Acct/AcctUnit1/ProjNum ← AIT1/AIT2/AIT3, Amount ← NLAM.
// GLS840MI controlled batch → SLJournals (JournalId 'GL'): TransDate ← ACDT, Acct/AcctUnit1/ProjNum ← AIT1..3,
//   DomAmount ← CUAM (debit +, credit −), Description ← VTXT or the batch DESC, Ref ← KEY1, Posted '0' → '1' on UpdBatch.
//
// Values go out the way m3api-rest sends them: strings, right-trimmed, dates yyyyMMdd, numbers without padding.

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
  return {
    CONO: M3_COMPANY, PUNO: text(line.PoNum), PNLI: text(line.PoLine), PNLS: text(line.PoRelease), ITNO: text(line.Item),
    PITD: text(line.Description), ORQA: m3Number(line.QtyOrdered), PUPR: m3Number(line.ItemCost), PUUN: text(line.UM),
    PPUN: text(line.UM), DWDT: m3Date(line.DueDate), PUSL: head?.Stat === 'P' ? '05' : poStatus(line.Stat), FACI: text(line.Whse),
    WHLO: text(line.Whse), LNAM: m3Number(String(Math.round(qty * price * 100) / 100)), PROJ: text(head?.Uf_ProjNum),
    AIT1: text(line.NonInvAcct), AIT2: text(line.NonInvAcctUnit1), LMDT: m3Date(line.RecordDate), LMTS: m3Timestamp(line.RecordDate),
  };
}

export function poHeadRecord(po: Row, lines: readonly Row[]): M3Record {
  const low = poStatus(po.Stat);
  const lineStatuses = lines.map((l) => (po.Stat === 'P' ? '05' : poStatus(l.Stat)));
  const due = lines.map((l) => m3Date(l.DueDate)).filter(Boolean).sort();
  return {
    CONO: M3_COMPANY, DIVI: M3_DIVISION, PUNO: text(po.PoNum), SUNO: text(po.VendNum), PUDT: m3Date(po.OrderDate), PUSL: low,
    PUST: [low, ...lineStatuses].sort().at(-1)!, ORTY: text(po.Type), FACI: text(po.Whse), WHLO: text(po.Whse), BUYE: text(po.Buyer),
    CUCD: text(po.CurrCode), TEPY: text(po.TermsCode), PROJ: text(po.Uf_ProjNum), DWDT: due[0] ?? '', RGDT: m3Date(po.CreateDate),
    LMDT: m3Date(po.RecordDate), LMTS: m3Timestamp(po.RecordDate),
  };
}

export function supplierRecord(vendor: Row, addr: Row | undefined): M3Record {
  return {
    CONO: M3_COMPANY, SUNO: text(vendor.VendNum), SUNM: text(vendor.Name), STAT: supplierStatus(vendor.Stat), SUCL: text(vendor.VendType),
    CUCD: text(vendor.CurrCode), TEPY: text(vendor.TermsCode), PHNO: text(vendor.Phone), EMAL: text(vendor.ExternalEmailAddr),
    YREF: text(vendor.Contact), ADR1: text(addr?.Addr_1), ADR2: text(addr?.Addr_2), TOWN: text(addr?.City), ECAR: text(addr?.State),
    PONO: text(addr?.Zip), CSCD: text(addr?.Country), RGDT: m3Date(vendor.CreateDate), LMDT: m3Date(vendor.RecordDate),
    LMTS: m3Timestamp(vendor.RecordDate),
  };
}
