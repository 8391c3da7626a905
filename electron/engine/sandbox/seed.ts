import { scaleSizes, stream, type Scale } from './context';
import type { Row } from './ido-filter';
import { idoDate, idoDecimal } from './ido-schema';

// A deterministic multi-site distributor: vendors with addresses and payment terms, a GL chart with cost
// centers as unit code 1, fiscal periods, projects, purchase orders with lines across four warehouses, and
// some history (vouchers, journals). Same seed, scale and origin → the same world, row for row; that is what
// lets the sandbox persist only its changes.

export interface WorldOptions {
  seed: number;
  scale: Scale;
  /** The moment the world was first generated; all dates are relative to it. */
  origin: Date;
  /** Overrides the scale's PO count (tests). */
  poCount?: number;
}

const DAY = 86_400_000;

const NAME_A = [
  'Northwind', 'Contoso', 'Fabrikam', 'Adventure Works', 'Tailspin', 'Wide World', 'Litware', 'Proseware', 'Alpine', 'Blue Yonder',
  'Coho', 'Fourth Coffee', 'Graphic Design', 'Humongous', 'Lamna', 'Margie’s', 'Nod', 'Relecloud', 'Southridge', 'Trey',
  'VanArsdel', 'Wingtip', 'Woodgrove', 'Bellows', 'Cascade', 'Datum', 'Elmhurst', 'Fairview', 'Greenfield', 'Harbor',
];
const NAME_B = [
  'Office Supply', 'Lab Equipment', 'Industrial Parts', 'Logistics', 'IT Services', 'Facilities', 'Engineering', 'Consulting',
  'Packaging', 'Electrical', 'Fasteners', 'Hydraulics', 'Safety Products', 'Freight', 'Software', 'Printing', 'Cleaning',
  'Machining', 'Staffing', 'Telecom',
];
const NAME_C = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Co.', 'Group', 'Corp.', 'Partners'];
const CITIES: [string, string, string, string][] = [
  ['Chicago', 'IL', '60601', 'US'], ['Atlanta', 'GA', '30303', 'US'], ['Dallas', 'TX', '75201', 'US'], ['Denver', 'CO', '80202', 'US'],
  ['Columbus', 'OH', '43215', 'US'], ['Seattle', 'WA', '98101', 'US'], ['Toronto', 'ON', 'M5H 2N2', 'CA'], ['Munich', '', '80331', 'DE'],
  ['Rotterdam', '', '3011', 'NL'], ['Manchester', '', 'M1 1AE', 'GB'],
];
const TERMS = ['N15', 'N30', 'N30', 'N45', 'N60', '2N10'];
const WAREHOUSES = ['MAIN', 'EAST', 'WEST', 'SOUTH'];
const BUYERS = ['jlopez', 'mchen', 'aokafor', 'pnovak', 'skumar'];
const MANAGERS = ['rgarcia', 'lwong', 'tmueller', 'abrown'];

export const COST_CENTERS: [string, string][] = [
  ['CC100', 'Sales'], ['CC200', 'Operations'], ['CC300', 'Information Technology'], ['CC410', 'Facilities'],
  ['CC500', 'Engineering'], ['CC600', 'Logistics'], ['CC700', 'Finance'], ['CC800', 'Human Resources'], ['CC900', 'Research'],
];

/** GL chart: [account, description, type E/A/L/R, unit code 1 access R(equired)/A(llowed)/N(ot used), active]. */
export const GL_CHART: [string, string, string, string, boolean][] = [
  ['140000', 'Inventory', 'A', 'N', true],
  ['201000', 'Accounts payable', 'L', 'N', true],
  ['215000', 'Accrued labour (clearing)', 'L', 'A', true],
  ['610100', 'Office supplies', 'E', 'R', true],
  ['620400', 'Laboratory consumables', 'E', 'R', true],
  ['630200', 'Maintenance parts', 'E', 'R', true],
  ['640100', 'Freight in', 'E', 'R', true],
  ['650100', 'Software licences', 'E', 'R', true],
  ['650300', 'Consulting services', 'E', 'R', true],
  ['650500', 'Labour cost - projects', 'E', 'R', true],
  ['660100', 'Facilities maintenance', 'E', 'R', true],
  ['670100', 'Printing and stationery', 'E', 'R', true],
  ['680100', 'Telecommunications', 'E', 'R', true],
  ['690900', 'Miscellaneous (closed)', 'E', 'R', false],
];

export const ITEMS: [string, string, string, number, string][] = [
  ['OFF-PAPER-A4', 'Copier paper, A4, 5000 sheets', 'BX', 42.5, '610100'],
  ['LAB-PIPETTE-10', 'Pipette tips 10 µl, rack of 96', 'EA', 18.9, '620400'],
  ['IND-BEARING-6204', 'Ball bearing 6204-2RS', 'EA', 6.35, '630200'],
  ['SVC-FREIGHT', 'Freight, regional pallet', 'EA', 310, '640100'],
  ['SVC-IT-HOUR', 'IT consulting, hourly', 'HR', 145, '650300'],
  ['FAC-HVAC-SVC', 'HVAC maintenance visit', 'EA', 480, '660100'],
  ['ENG-CAD-LIC', 'CAD software licence, annual', 'EA', 2150, '650100'],
  ['SVC-PM-DAY', 'Project management, daily rate', 'DAY', 980, '650300'],
  ['PRT-BROCHURE', 'Brochures, 4-colour, 1000 pcs', 'EA', 615, '670100'],
  ['TEL-SIP-LINE', 'SIP trunk line, monthly', 'EA', 39, '680100'],
  ['IND-BOLT-M8', 'Hex bolt M8 x 40, box of 200', 'BX', 27.4, '630200'],
  ['SAFE-GLOVES', 'Nitrile gloves, size L, 100 pcs', 'BX', 12.95, '620400'],
];

const hex8 = (rand: () => number): string => ((rand() * 0x100000000) >>> 0).toString(16).padStart(8, '0');

/** A RowPointer-style GUID from the seeded stream (hot path at large scale: four draws, no arrays). */
function uuid(rand: () => number): string {
  const a = hex8(rand), b = hex8(rand), c = hex8(rand), d = hex8(rand);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/**
 * Memoised formatting: a large world repeats the same dates and amounts hundreds of thousands of times, and
 * sharing one string per value keeps generation fast and the heap small.
 */
function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) {
      v = fn(k);
      cache.set(k, v);
    }
    return v;
  };
}

export function generateWorld(opts: WorldOptions): Record<string, Row[]> {
  const size = scaleSizes[opts.scale];
  const poCount = opts.poCount ?? size.pos;
  const origin = opts.origin.getTime();
  const dateAt = memo((ms: number) => idoDate(new Date(ms)));
  const decimal = memo(idoDecimal);
  const created = idoDate(new Date(origin - 400 * DAY));
  const rp = stream(opts.seed, 'ido.rowpointers');
  const base = () => ({ RowPointer: uuid(rp), CreateDate: created, RecordDate: created });

  // Vendors and their addresses.
  const rv = stream(opts.seed, 'ido.vendors');
  const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const vendors: Row[] = [];
  const vendaddrs: Row[] = [];
  const names = new Set<string>();
  for (let i = 0; i < size.vendors; i++) {
    let name = '';
    for (let tries = 0; tries < 50 && (name === '' || names.has(name)); tries++) {
      name = `${pick(rv, NAME_A)} ${pick(rv, NAME_B)}${i < 8 ? '' : ` ${pick(rv, NAME_C)}`}`;
    }
    if (names.has(name)) name = `${name} ${i}`;
    names.add(name);
    const vendNum = `V${String(1000 + i * 10).padStart(6, '0')}`;
    const [city, state, zip, country] = pick(rv, CITIES);
    const contact = `${pick(rv, ['Ana', 'Ben', 'Chloe', 'Dev', 'Eva', 'Finn', 'Grace', 'Hugo'])} ${pick(rv, ['Meyer', 'Silva', 'Jones', 'Ito', 'Khan', 'Novak'])}`;
    const email = `ap@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
    const phone = `+1 555 ${String(1000 + Math.floor(rv() * 9000))}`;
    vendors.push(({
      ...base(), VendNum: vendNum, Name: name, CurrCode: country === 'DE' || country === 'NL' ? 'EUR' : country === 'GB' ? 'GBP' : country === 'CA' ? 'CAD' : 'USD',
      TermsCode: pick(rv, TERMS), Stat: rv() < 0.03 ? 'I' : 'A', VendType: pick(rv, ['SUP', 'SVC']), Contact: contact, Phone: phone, ExternalEmailAddr: email,
    }));
    // The vendor's contact lives on SLVendors; the address row has the name and the address.
    vendaddrs.push(({
      ...base(), VendNum: vendNum, Name: name, Addr_1: `${100 + Math.floor(rv() * 9000)} ${pick(rv, ['Main St', 'Industrial Way', 'Harbor Rd', 'Commerce Dr'])}`,
      Addr_2: null, City: city, State: state || null, Zip: zip, Country: country,
    }));
  }
  const activeVendors = vendors.filter((v) => v.Stat === 'A');

  // Chart of accounts, cost centers (unit code 1), fiscal periods.
  // An account taken out of use carries its obsolete date; unit code 1 access R(equired), A(llowed), N(ot used).
  const charts = GL_CHART.map(([acct, desc, type, unit1, active]) =>
    ({ ...base(), Acct: acct, Description: desc, Type: type, AccessUnit1: unit1, ObsDate: active ? null : created }),
  );
  const unitcd1s = COST_CENTERS.map(([cc, desc]) => ({ ...base(), Unit1: cc, Description: desc }));
  const periods: Row[] = [];
  const originDate = new Date(origin);
  // Fourteen months back and a year ahead, like a ledger whose fiscal years are set up in advance.
  for (let back = 14; back >= -12; back--) {
    const start = new Date(Date.UTC(originDate.getUTCFullYear(), originDate.getUTCMonth() - back, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0, 23, 59, 59, 997));
    // Books close two months behind: postings into older periods are refused.
    periods.push(({
      ...base(), FiscalYear: String(start.getUTCFullYear()), Period: String(start.getUTCMonth() + 1), StartDate: idoDate(start), EndDate: idoDate(end), Stat: back >= 2 ? 'C' : 'O' }));
  }

  // Projects.
  const rj = stream(opts.seed, 'ido.projects');
  const projects: Row[] = [];
  for (let i = 0; i < size.projects; i++) {
    const start = new Date(origin - Math.floor(rj() * 300) * DAY);
    projects.push(({
      ...base(), ProjNum: `PRJ${String(i + 1).padStart(5, '0')}`,
      ProjDesc: `${pick(rj, ['Warehouse automation', 'ERP rollout', 'Lab expansion', 'Fleet renewal', 'Website relaunch', 'Safety audit', 'Data centre move', 'Packaging redesign'])} ${pick(rj, WAREHOUSES)}`,
      Stat: rj() < 0.85 ? 'A' : 'C', ProjMgr: pick(rj, MANAGERS), CostCenter: pick(rj, COST_CENTERS)[0], StartDate: idoDate(start),
      EndDate: idoDate(new Date(start.getTime() + (90 + Math.floor(rj() * 270)) * DAY)), Budget: idoDecimal(10_000 * (1 + Math.floor(rj() * 50))),
    }));
  }
  const activeProjects = projects.filter((p) => p.Stat === 'A');

  // Purchase orders and lines, spread over the 30 days before the origin, oldest first.
  const rpo = stream(opts.seed, 'ido.pos');
  const pos: Row[] = [];
  const lines: Row[] = [];
  const vouchers: Row[] = [];
  const ledger: Row[] = [];
  let voucherNo = 10_000;
  for (let i = 0; i < poCount; i++) {
    const poNum = `PO${String(10001 + i).padStart(8, '0')}`;
    const record = new Date(origin - 30 * DAY + Math.floor(((i + rpo()) / Math.max(poCount, 1)) * 29 * DAY));
    const orderDate = new Date(Date.UTC(record.getUTCFullYear(), record.getUTCMonth(), record.getUTCDate()));
    const vendor = pick(rpo, activeVendors.length ? activeVendors : vendors);
    const roll = rpo();
    const stat = roll < 0.1 ? 'P' : roll < 0.9 ? 'O' : 'C';
    const project = activeProjects.length && rpo() < 0.15 ? pick(rpo, activeProjects) : null;
    const whse = pick(rpo, WAREHOUSES);
    const recordDate = idoDate(record);
    const orderDay = dateAt(Date.UTC(record.getUTCFullYear(), record.getUTCMonth(), record.getUTCDate()));
    // Object literals without spreads on the hot paths: a spread of ~20 properties is several times slower.
    pos.push(({
      RowPointer: uuid(rp), RecordDate: recordDate, CreateDate: recordDate, PoNum: poNum, VendNum: vendor.VendNum!, OrderDate: orderDay, Stat: stat,
      Type: 'R', Whse: whse, Buyer: pick(rpo, BUYERS), TermsCode: vendor.TermsCode!, Uf_JiraKey: null, Uf_JiraNote: null, Uf_ProjNum: project?.ProjNum ?? null,
    }));
    const lineCount = 1 + Math.floor(rpo() * size.maxLinesPerPo);
    const poLines: Row[] = [];
    for (let l = 1; l <= lineCount; l++) {
      const [item, description, um, price, account] = pick(rpo, ITEMS);
      const qty = um === 'HR' || um === 'DAY' ? 8 + Math.floor(rpo() * 80) : 1 + Math.floor(rpo() * 40);
      const line = ({
        RowPointer: uuid(rp), RecordDate: recordDate, CreateDate: recordDate, PoNum: poNum, PoLine: String(l), PoRelease: '0', Item: item, Description: description,
        QtyOrdered: decimal(qty), ItemCost: decimal(price), UM: um, DueDate: dateAt(orderDate.getTime() + (14 + Math.floor(rpo() * 30)) * DAY),
        Stat: stat === 'C' ? 'C' : 'O', Whse: whse, NonInvAcct: account, NonInvAcctUnit1: project?.CostCenter ?? pick(rpo, COST_CENTERS)[0],
        NonInvAcctUnit2: null, NonInvAcctUnit3: null, NonInvAcctUnit4: null,
      });
      lines.push(line);
      poLines.push(line);
    }
    // Completed POs were mostly invoiced already: posted vouchers (SLAptrxps) and their ledger lines (SLLedgers).
    if (stat === 'C' && rpo() < 0.7) {
      const voucher = String(voucherNo++);
      const invDate = new Date(orderDate.getTime() + 20 * DAY);
      const day = idoDate(invDate);
      const lineCents = poLines.map((line) => Math.round(Number(line.QtyOrdered) * Number(line.ItemCost) * 100));
      const distributed = lineCents.reduce((a, b) => a + b, 0);
      vouchers.push(({
        ...base(), VendNum: vendor.VendNum!, Voucher: voucher, VouchSeq: '1', Type: 'V', InvNum: `INV-${vendor.VendNum!.slice(1)}-${i}`, InvDate: day,
        DistDate: day, DueDate: idoDate(new Date(invDate.getTime() + 30 * DAY)), InvAmt: idoDecimal(distributed / 100), PoNum: poNum, Ref: null, ApAcct: '201000',
      }));
      const ledgerLine = (acct: string, unit1: string | null, cents: number): Row => ({
        ...base(), TransNum: String(ledger.length + 1), TransDate: day, Acct: acct, AcctUnit1: unit1, AcctUnit2: null, AcctUnit3: null, AcctUnit4: null,
        DomAmount: idoDecimal(cents / 100), Ref: null, VendNum: vendor.VendNum!, Voucher: voucher, FromId: 'AP Dist',
        ControlPrefix: null, ControlSite: null, ControlYear: null, ControlPeriod: null, ControlNumber: null,
      });
      poLines.forEach((line, k) => ledger.push(ledgerLine(line.NonInvAcct!, line.NonInvAcctUnit1!, lineCents[k]!)));
      ledger.push(ledgerLine('201000', null, -distributed));
    }
  }

  return {
    SLVendors: vendors, SLVendaddrs: vendaddrs, SLCharts: charts, SLUnitcd1s: unitcd1s, SLPeriods: periods, SLProjs: projects,
    SLPos: pos, SLPoItems: lines, SLAptrxs: [], SLAptrxds: [], SLAptrxps: vouchers, SLLedgers: ledger, SLJournals: [],
  };
}
