import type { SandboxTenant } from '../context';
import { toTime, type Row } from '../ido-filter';

// Typed reads of the CloudSuite rows JAGGAER's data is derived from. Any of these tables may be empty or
// absent (a test tenant, a fresh world), so every reader returns an empty result rather than failing.

export interface TenantAddress {
  addr1: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  isoCountry: string;
}

export interface TenantVendor {
  vendNum: string;
  name: string;
  currCode: string | null;
  termsCode: string | null;
  contact: string | null;
  phone: string | null;
  email: string | null;
  address: TenantAddress | null;
}

export interface TenantPoLine {
  poLine: number;
  item: string | null;
  description: string;
  quantity: number;
  unitCost: number;
  um: string;
  account: string | null;
  units: [string | null, string | null, string | null, string | null];
}

export interface TenantPo {
  poNum: string;
  vendNum: string | null;
  /** Epoch ms, or null when the row has no readable OrderDate. */
  orderDate: number | null;
  stat: string | null;
  termsCode: string | null;
  currCode: string | null;
  whse: string | null;
  lines: TenantPoLine[];
}

const str = (v: string | null | undefined): string | null => (v == null || v.trim() === '' ? null : v.trim());
const num = (v: string | null | undefined): number => {
  const n = Number(v ?? '');
  return Number.isFinite(n) ? n : 0;
};

// CloudSuite keeps the country as the user typed it; JAGGAER wants ISO 3166 alpha-2.
const COUNTRIES: Record<string, string> = {
  USA: 'US', 'UNITED STATES': 'US', 'UNITED STATES OF AMERICA': 'US', CANADA: 'CA', MEXICO: 'MX', GERMANY: 'DE', DEUTSCHLAND: 'DE',
  FRANCE: 'FR', 'UNITED KINGDOM': 'GB', UK: 'GB', NETHERLANDS: 'NL', IRELAND: 'IE', ITALY: 'IT', SPAIN: 'ES', JAPAN: 'JP', CHINA: 'CN',
};
export const COUNTRY_NAMES: Record<string, string> = {
  US: 'United States', CA: 'Canada', MX: 'Mexico', DE: 'Germany', FR: 'France', GB: 'United Kingdom', NL: 'Netherlands', IE: 'Ireland',
  IT: 'Italy', ES: 'Spain', JP: 'Japan', CN: 'China',
};

export function isoCountry(v: string | null): string {
  const c = (v ?? '').trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(c)) return c;
  return COUNTRIES[c] ?? 'US';
}

function address(r: Row): TenantAddress {
  return { addr1: str(r.Addr_1), city: str(r.City), state: str(r.State), zip: str(r.Zip), isoCountry: isoCountry(str(r.Country)) };
}

export function readVendors(tenant: SandboxTenant): TenantVendor[] {
  const addrs = new Map<string, Row>();
  for (const a of tenant.ido.rows('SLVendaddrs')) if (a.VendNum && !addrs.has(a.VendNum)) addrs.set(a.VendNum, a);
  const out: TenantVendor[] = [];
  for (const v of tenant.ido.rows('SLVendors')) {
    const vendNum = str(v.VendNum);
    if (!vendNum) continue;
    const a = addrs.get(vendNum);
    out.push({
      vendNum,
      name: str(v.Name) ?? str(a?.Name) ?? vendNum,
      currCode: str(v.CurrCode),
      termsCode: str(v.TermsCode),
      contact: str(v.Contact),
      phone: str(v.Phone),
      email: str(v.ExternalEmailAddr),
      address: a ? address(a) : null,
    });
  }
  return out;
}

/** POs with their lines, in table order. Lines sort by PoLine; releases beyond 0 are folded in as extra lines. */
export function readPos(tenant: SandboxTenant): TenantPo[] {
  const lines = new Map<string, TenantPoLine[]>();
  for (const l of tenant.ido.rows('SLPoItems')) {
    const poNum = str(l.PoNum);
    if (!poNum) continue;
    const list = lines.get(poNum) ?? [];
    list.push({
      poLine: num(l.PoLine),
      item: str(l.Item),
      description: str(l.Description) ?? str(l.Item) ?? 'Item',
      quantity: num(l.QtyOrdered),
      unitCost: num(l.ItemCost),
      um: str(l.UM) ?? 'EA',
      account: str(l.NonInvAcct),
      units: [str(l.NonInvAcctUnit1), str(l.NonInvAcctUnit2), str(l.NonInvAcctUnit3), str(l.NonInvAcctUnit4)],
    });
    lines.set(poNum, list);
  }
  // A PO is in its vendor's currency (SLPos shows it as VenCurrCode).
  const currency = new Map(tenant.ido.rows('SLVendors').map((v) => [v.VendNum, str(v.CurrCode)]));
  return tenant.ido.rows('SLPos').flatMap((p): TenantPo[] => {
    const poNum = str(p.PoNum);
    if (!poNum) return [];
    const t = p.OrderDate ? toTime(p.OrderDate) : NaN;
    return [{
      poNum,
      vendNum: str(p.VendNum),
      orderDate: Number.isNaN(t) ? null : t,
      stat: str(p.Stat),
      termsCode: str(p.TermsCode),
      currCode: currency.get(p.VendNum) ?? null,
      whse: str(p.Whse),
      lines: (lines.get(poNum) ?? []).sort((a, b) => a.poLine - b.poLine),
    }];
  });
}

/** Chart of accounts: account → description (empty when SLCharts is absent). */
export function readCharts(tenant: SandboxTenant): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of tenant.ido.rows('SLCharts')) {
    const acct = str(c.Acct);
    if (acct) out.set(acct, str(c.Description) ?? acct);
  }
  return out;
}

/** Unit code 1 (cost centers) → description. */
export function readCostCenters(tenant: SandboxTenant): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of tenant.ido.rows('SLUnitcd1s')) {
    const code = str(u.Unit1);
    if (code) out.set(code, str(u.Description) ?? code);
  }
  return out;
}

/** CloudSuite terms codes like N30 become JAGGAER's "Net 30"; anything else is kept as the customer typed it. */
export function jaggaerTerms(termsCode: string | null): { code: string; daysAfter: number } {
  const m = /^N(?:ET)?\s*(\d{1,3})$/i.exec(termsCode ?? '');
  if (m) return { code: `Net ${Number(m[1])}`, daysAfter: Number(m[1]) };
  if (!termsCode) return { code: 'Net 30', daysAfter: 30 };
  return { code: termsCode, daysAfter: 30 };
}
