import crypto from 'node:crypto';
import type { Row } from './ido-filter';
import { idoDate, idoDecimal } from './ido-schema';

// A deterministic little company: the same seed always gives the same vendors, POs and lines, so tests and
// screenshots are repeatable.

function prng(seed: number): () => number {
  // mulberry32: tiny, fast and good enough for sample data (not for anything secret).
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VENDORS: [string, string, string][] = [
  ['Northwind Office Supply', 'USD', 'N30'],
  ['Contoso Lab Equipment', 'USD', 'N45'],
  ['Fabrikam Industrial Parts', 'USD', 'N30'],
  ['Adventure Works Logistics', 'USD', 'N60'],
  ['Tailspin IT Services', 'USD', 'N30'],
  ['Wide World Facilities', 'USD', 'N15'],
  ['Litware Engineering', 'EUR', 'N30'],
  ['Proseware Consulting', 'USD', 'N45'],
];

const ITEMS: [string, string, string, number, string][] = [
  ['OFF-PAPER-A4', 'Copier paper, A4, 5000 sheets', 'BX', 42.5, '610100'],
  ['LAB-PIPETTE-10', 'Pipette tips 10 µl, rack of 96', 'EA', 18.9, '620400'],
  ['IND-BEARING-6204', 'Ball bearing 6204-2RS', 'EA', 6.35, '630200'],
  ['SVC-FREIGHT', 'Freight, regional pallet', 'EA', 310, '640100'],
  ['SVC-IT-HOUR', 'IT consulting, hourly', 'HR', 145, '650300'],
  ['FAC-HVAC-SVC', 'HVAC maintenance visit', 'EA', 480, '660100'],
  ['ENG-CAD-LIC', 'CAD software licence, annual', 'EA', 2150, '650100'],
  ['SVC-PM-DAY', 'Project management, daily rate', 'DAY', 980, '650300'],
];

const COST_CENTERS = ['CC100', 'CC200', 'CC300', 'CC410'];
const BUYERS = ['jlopez', 'mchen', 'aokafor'];

const rowPointer = (rand: () => number): string =>
  crypto.createHash('md5').update(String(rand())).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5').toUpperCase();

export function seedWorld(seed: number, poCount: number, now: Date): Record<string, Row[]> {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const day = 86_400_000;
  const start = now.getTime() - 30 * day;

  const vendors: Row[] = VENDORS.map(([name, curr, terms], i) => ({
    VendNum: `V${String(1000 + i * 10).padStart(6, '0')}`,
    Name: name,
    CurrCode: curr,
    TermsCode: terms,
    Stat: 'A',
    RecordDate: idoDate(new Date(start - 90 * day)),
    RowPointer: rowPointer(rand),
  }));

  const pos: Row[] = [];
  const lines: Row[] = [];
  for (let i = 0; i < poCount; i++) {
    const poNum = `PO${String(10001 + i).padStart(8, '0')}`;
    const recordDate = new Date(start + Math.floor(((i + rand()) / Math.max(poCount, 1)) * 29 * day));
    const orderDate = new Date(Date.UTC(recordDate.getUTCFullYear(), recordDate.getUTCMonth(), recordDate.getUTCDate()));
    pos.push({
      PoNum: poNum,
      VendNum: pick(vendors).VendNum ?? null,
      OrderDate: idoDate(orderDate),
      // Roughly one PO in ten is still being planned: Ferry must wait for it to be ordered.
      Stat: rand() < 0.1 ? 'P' : 'O',
      Type: 'R',
      Whse: pick(['MAIN', 'EAST']),
      Buyer: pick(BUYERS),
      RecordDate: idoDate(recordDate),
      RowPointer: rowPointer(rand),
      Uf_JiraKey: null,
    });
    const lineCount = 1 + Math.floor(rand() * 4);
    for (let l = 1; l <= lineCount; l++) {
      const [item, description, um, price, account] = pick(ITEMS);
      lines.push({
        PoNum: poNum,
        PoLine: String(l),
        PoRelease: '0',
        Item: item,
        Description: description,
        QtyOrdered: idoDecimal(um === 'HR' || um === 'DAY' ? 8 + Math.floor(rand() * 80) : 1 + Math.floor(rand() * 40)),
        ItemCost: idoDecimal(price),
        UM: um,
        DueDate: idoDate(new Date(orderDate.getTime() + (14 + Math.floor(rand() * 30)) * day)),
        Stat: 'O',
        NonInvAcct: account,
        NonInvAcctUnit1: pick(COST_CENTERS),
        NonInvAcctUnit2: null,
        NonInvAcctUnit3: null,
        NonInvAcctUnit4: null,
        RecordDate: idoDate(recordDate),
        RowPointer: rowPointer(rand),
      });
    }
  }
  return { SLVendors: vendors, SLPos: pos, SLPoItems: lines };
}
