import type { SandboxContext } from '../context';
import { DAY, int, pick, shuffle, type Rand } from './rand';
import type { JaggaerState, JaggaerSupplier } from './state';
import { jaggaerTerms, type TenantVendor } from './tenant';

// Suppliers as JAGGAER holds them, derived from the tenant's vendors with the differences a real pair of
// systems drifts into: most vendors have a supplier whose extCode is the VendNum; a few vendors were never
// created in JAGGAER; a few suppliers exist only in JAGGAER (no extCode); a few carry a different name or
// payment terms. Supplier sync has something to find.

const JAGGAER_ONLY = [
  'Globex Research Supply', 'Initech Office Services', 'Umbrella Scientific', 'Vandelay Industries', 'Hooli Cloud Services',
  'Stark Fabrication', 'Wayne Lab Instruments', 'Soylent Catering', 'Cyberdyne Robotics', 'Wonka Facilities',
];
const CITIES: [string, string, string][] = [
  ['Pleasanton', 'CA', '94588'], ['Dallas', 'TX', '75235'], ['Columbus', 'OH', '43215'], ['Raleigh', 'NC', '27601'],
  ['Denver', 'CO', '80202'], ['Madison', 'WI', '53703'], ['Tempe', 'AZ', '85281'], ['Albany', 'NY', '12207'],
];
const STREETS = ['Stoneridge Mall Rd', 'Parkland Blvd', 'Commerce Dr', 'Industrial Pkwy', 'Market St', 'Research Way'];
const FIRST = ['Dana', 'Luis', 'Priya', 'Tom', 'Grace', 'Omar', 'Mei', 'Jonas'];
const LAST = ['Keller', 'Ramos', 'Iyer', 'Baker', 'Okafor', 'Haddad', 'Chen', 'Lindqvist'];
const NET_DAYS = [15, 30, 45, 60];

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 24) || 'supplier';

// How a supplier's name drifts away from the vendor's when people key it in twice.
const renames: ((n: string) => string)[] = [
  (n) => `${n.toUpperCase()} INC`,
  (n) => `${n}, LLC`,
  (n) => (n.includes(' ') ? n.replace(/\s+\S+$/, '') : `${n} Co.`),
];

export function newSupplier(state: JaggaerState, fields: Partial<JaggaerSupplier> & { companyName: string; lastModTime: string }): JaggaerSupplier {
  const s: JaggaerSupplier = {
    bravoId: String(state.next.bravoId++),
    supplierId: state.next.supplierId++,
    extCode: null,
    extUniqueCode: null,
    type: 'SELLER',
    bizEmail: null,
    bizPhone: null,
    webSite: null,
    address: null,
    zip: null,
    city: null,
    province: null,
    isoCountry: null,
    paymentTerms: null,
    userName: null,
    userSurName: null,
    userEmail: null,
    userPhone: null,
    ...fields,
  };
  return s;
}

function contactParts(r: Rand, contact: string | null): [string, string] {
  const parts = (contact ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length >= 2) return [parts.slice(0, -1).join(' '), parts[parts.length - 1]!];
  return [pick(r, FIRST), pick(r, LAST)];
}

export function generateSuppliers(ctx: SandboxContext, state: JaggaerState, vendors: TenantVendor[], anchor: number): JaggaerSupplier[] {
  const r = ctx.random('jaggaer.suppliers');
  const n = vendors.length;
  // At least one of each difference once there are enough vendors to spare them; about 8% each at scale.
  const special = n >= 4 ? Math.max(1, Math.round(n * 0.08)) : 0;
  const order = shuffle(r, vendors.map((_, i) => i));
  const missing = new Set(order.slice(0, special));
  const renamed = new Set(order.slice(special, 2 * special));
  const otherTerms = new Set(order.slice(2 * special, 3 * special));
  const modTime = () => new Date(anchor - int(r, 1, 400) * DAY - int(r, 0, DAY - 1)).toISOString();
  const duns = () => String(int(r, 10_000_000, 999_999_999)).padStart(9, '0');

  const out: JaggaerSupplier[] = [];
  vendors.forEach((v, i) => {
    if (missing.has(i)) return;
    const [first, last] = contactParts(r, v.contact);
    const [city, st, zip] = pick(r, CITIES);
    const name = renamed.has(i) ? pick(r, renames)(v.name) : v.name;
    let terms = jaggaerTerms(v.termsCode);
    if (otherTerms.has(i)) {
      const days = pick(r, NET_DAYS.filter((d) => d !== terms.daysAfter));
      terms = { code: `Net ${days}`, daysAfter: days };
    }
    const domain = `${slug(v.name)}.example.com`;
    out.push(
      newSupplier(state, {
        companyName: name,
        extCode: v.vendNum,
        extUniqueCode: duns(),
        bizEmail: v.email ?? `orders@${domain}`,
        bizPhone: v.phone ?? `+1 555 01${String(int(r, 0, 99)).padStart(2, '0')}`,
        webSite: `https://www.${domain}`,
        address: v.address?.addr1 ?? `${int(r, 10, 9999)} ${pick(r, STREETS)}`,
        zip: v.address?.zip ?? zip,
        city: v.address?.city ?? city,
        province: v.address?.state ?? st,
        isoCountry: v.address?.isoCountry ?? 'US',
        paymentTerms: terms.code,
        userName: first,
        userSurName: last,
        userEmail: `${first.toLowerCase().replace(/\W+/g, '.')}.${last.toLowerCase().replace(/\W+/g, '')}@${domain}`,
        userPhone: v.phone,
        lastModTime: modTime(),
      }),
    );
  });

  const extra = Math.max(2, Math.round(n * 0.05));
  for (let i = 0; i < extra; i++) {
    const base = JAGGAER_ONLY[i % JAGGAER_ONLY.length]!;
    const name = i < JAGGAER_ONLY.length ? base : `${base} ${Math.floor(i / JAGGAER_ONLY.length) + 1}`;
    const [city, st, zip] = pick(r, CITIES);
    const domain = `${slug(name)}.example.com`;
    out.push(
      newSupplier(state, {
        companyName: name,
        // Registered by the supplier itself through the portal: no ERP number, often no DUNS either.
        extUniqueCode: r() < 0.5 ? duns() : null,
        bizEmail: `sales@${domain}`,
        bizPhone: `+1 555 02${String(int(r, 0, 99)).padStart(2, '0')}`,
        address: `${int(r, 10, 9999)} ${pick(r, STREETS)}`,
        zip,
        city,
        province: st,
        isoCountry: 'US',
        paymentTerms: `Net ${pick(r, NET_DAYS)}`,
        userName: pick(r, FIRST),
        userSurName: pick(r, LAST),
        lastModTime: modTime(),
      }),
    );
  }
  return out;
}

/** The company profile as J1P returns it inside `returnCompanyData[].returnCompanyInfo`; absent values are left out. */
export function companyInfo(s: JaggaerSupplier): Record<string, string> {
  const out: Record<string, string> = {};
  const fields: (keyof JaggaerSupplier)[] = [
    'bravoId', 'companyName', 'extCode', 'extUniqueCode', 'type', 'bizEmail', 'bizPhone', 'webSite', 'address', 'zip', 'city', 'province',
    'isoCountry', 'paymentTerms', 'userName', 'userSurName', 'userEmail', 'userPhone', 'lastModTime',
  ];
  for (const f of fields) {
    const v = s[f];
    if (v !== null && v !== undefined) out[f] = String(v);
  }
  return out;
}

export function netDays(terms: string | null): number {
  const m = /(\d{1,3})/.exec(terms ?? '');
  return m ? Number(m[1]) : 30;
}
