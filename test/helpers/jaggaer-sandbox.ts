import Fastify, { type FastifyInstance } from 'fastify';
import { createContext, type SandboxContext, type SandboxTenant } from '../../electron/engine/sandbox/context';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import { idoDate, idoDecimal } from '../../electron/engine/sandbox/ido-schema';
import { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { generateJaggaer, jaggaerCredentials, registerJaggaer, type JaggaerState } from '../../electron/engine/sandbox/jaggaer/index';
import { TEST_ORIGIN } from './origin';

// A small CloudSuite tenant written out row by row (IDO names and value formats), and the JAGGAER
// simulator on a real 127.0.0.1 port in front of it.

const NAMES = ['Northwind Office Supply', 'Contoso Lab Equipment', 'Fabrikam Industrial Parts', 'Adventure Works Logistics', 'Tailspin IT Services', 'Wide World Facilities', 'Litware Engineering', 'Proseware Consulting'];
const ITEMS: [string, string, string, number, string][] = [
  ['OFF-PAPER-A4', 'Copier paper, A4, 5000 sheets', 'BX', 42.5, '610100'],
  ['LAB-PIPETTE-10', 'Pipette tips 10 µl, rack of 96', 'EA', 18.9, '620400'],
  ['SVC-IT-HOUR', 'IT consulting, hourly', 'HR', 145, '650300'],
  ['FAC-HVAC-SVC', 'HVAC maintenance visit', 'EA', 480, '660100'],
];
const CHARTS: Row[] = [
  { Acct: '610100', Description: 'Office supplies', RowPointer: 'C1' },
  { Acct: '620400', Description: 'Laboratory consumables', RowPointer: 'C2' },
  { Acct: '650300', Description: 'Consulting services', RowPointer: 'C3' },
  { Acct: '660100', Description: 'Facilities maintenance', RowPointer: 'C4' },
];

/** `vendors` vendors with addresses, two POs each (every fifth one still planned), 1–3 lines per PO. */
export function tenantRows(vendors: number): Record<string, Row[]> {
  const day = 86_400_000;
  const start = Date.UTC(2026, 0, 5);
  const rows: Record<string, Row[]> = { SLVendors: [], SLVendaddrs: [], SLPos: [], SLPoItems: [], SLCharts: CHARTS };
  let po = 10001;
  for (let v = 0; v < vendors; v++) {
    const vendNum = `V${String(1000 + v * 10).padStart(6, '0')}`;
    const name = v < NAMES.length ? NAMES[v]! : `${NAMES[v % NAMES.length]} ${Math.floor(v / NAMES.length) + 1}`;
    rows.SLVendors!.push({ VendNum: vendNum, Name: name, CurrCode: 'USD', TermsCode: ['N30', 'N45', 'N60'][v % 3]!, Stat: 'A', Contact: 'Jane Doe', Phone: `+1 503 555 ${String(1000 + v).slice(-4)}`, ExternalEmailAddr: `ap${v}@vendor${v}.example.com`, RowPointer: `VEND-${v}` });
    rows.SLVendaddrs!.push({ VendNum: vendNum, Name: name, Addr_1: `${100 + v} Main St`, City: 'Portland', State: 'OR', Zip: '97204', Country: 'USA', RowPointer: `ADDR-${v}` });
    for (let k = 0; k < 2; k++, po++) {
      const poNum = `PO${String(po).padStart(8, '0')}`;
      const order = new Date(start + ((po * 3) % 40) * day);
      rows.SLPos!.push({ PoNum: poNum, VendNum: vendNum, OrderDate: idoDate(order), Stat: po % 5 === 0 ? 'P' : 'O', Whse: k === 0 ? 'MAIN' : 'EAST', TermsCode: 'N30', CurrCode: 'USD', RowPointer: `PO-${poNum}` });
      for (let l = 1; l <= 1 + (po % 3); l++) {
        const [item, description, um, price, acct] = ITEMS[(po + l) % ITEMS.length]!;
        rows.SLPoItems!.push({ PoNum: poNum, PoLine: String(l), PoRelease: '0', Item: item, Description: description, QtyOrdered: idoDecimal(2 + ((po + l) % 7)), ItemCost: idoDecimal(price), UM: um, NonInvAcct: acct, NonInvAcctUnit1: `CC${100 + (l % 3) * 100}`, RowPointer: `POI-${poNum}-${l}` });
      }
    }
  }
  return rows;
}

export function makeTenant(ctx: SandboxContext, rows: Record<string, Row[]>, id = 'FERRY_TST'): SandboxTenant {
  return { id, ido: new IdoTables(rows, {}, ctx.clock, () => {}) };
}

export interface JaggaerHarness {
  url: string;
  ctx: SandboxContext;
  tenant: SandboxTenant;
  state: JaggaerState;
  app: FastifyInstance;
  token(): Promise<string>;
  get(path: string, token?: string | null): Promise<{ status: number; body: Record<string, unknown> }>;
  post(path: string, body: unknown, token?: string | null): Promise<{ status: number; body: Record<string, unknown> }>;
  postXml(xml: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startJaggaer(opts: { seed?: number; vendors?: number; prepare?: (s: JaggaerState) => void } = {}): Promise<JaggaerHarness> {
  const ctx = createContext({ seed: opts.seed ?? 1, scale: 'small', origin: TEST_ORIGIN.getTime() });
  const tenant = makeTenant(ctx, tenantRows(opts.vendors ?? 8));
  const state = generateJaggaer(ctx, tenant);
  opts.prepare?.(state);
  const app = Fastify();
  await registerJaggaer(app, ctx, tenant, state);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no TCP address');
  const url = `http://127.0.0.1:${addr.port}`;
  // Renewed when the sandbox clock (which tests move) has passed its expiry, like Ferry's token cache does.
  let cached: { token: string; until: number } | null = null;
  const token = async (): Promise<string> => {
    if (cached && ctx.clock.now('jaggaer') < cached.until) return cached.token;
    const { clientId, clientSecret } = jaggaerCredentials(state);
    const res = await fetch(`${url}/auth/realms/J1p-integrations/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, until: ctx.clock.now('jaggaer') + (body.expires_in - 10) * 1000 };
    return cached.token;
  };
  const auth = async (t: string | null | undefined): Promise<Record<string, string>> =>
    t === null ? {} : { authorization: `Bearer ${t ?? (await token())}` };
  return {
    url, ctx, tenant, state, app, token,
    async get(path, t) {
      const res = await fetch(url + path, { headers: await auth(t) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async post(path, body, t) {
      const res = await fetch(url + path, { method: 'POST', headers: { ...(await auth(t)), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async postXml(xml) {
      const res = await fetch(`${url}/apps/Router/POXMLImport`, { method: 'POST', headers: { 'content-type': 'application/xml; charset=utf-8' }, body: xml });
      return { status: res.status, text: await res.text() };
    },
    close: () => app.close(),
  };
}
