import type { FastifyInstance } from 'fastify';
import { compare, compileFilter, FilterError, type Row } from './ido-filter';
import { idoKeys, idoSchemas } from './ido-schema';
import type { IdoTables } from './ido-tables';
import type { TenantConfig } from './tenants';

// Mongoose IDO REST v2 behind the ION gateway: {gateway}/{tenant}/CSI/IDORequestService/ido/...
// Product errors come back as HTTP 200 with Success:false, like the real server.

const DEFAULT_CAP = 200;

export interface IdoTenant {
  config: TenantConfig;
  ido: IdoTables;
}

interface LoadQuery {
  properties?: string;
  filter?: string;
  orderBy?: string;
  recordCap?: string;
  loadType?: string;
  bookmark?: string;
  readOnly?: string;
}

const fail = (Message: string) => ({ Success: false, Message, Items: null, Bookmark: null, MoreRowsExist: false });

/** Routes behind the gateway (gateway.ts has already checked the tenant and the bearer token). */
export function registerIdo(app: FastifyInstance, tenants: (id: string) => IdoTenant | undefined): void {
  const base = '/:tenant/CSI/IDORequestService/ido';

  app.get<{ Params: { tenant: string } }>(`${base}/configurations`, async (req) => ({
    Configurations: tenants(req.params.tenant)!.config.mongooseConfigs,
  }));

  app.get<{ Params: { tenant: string; ido: string }; Querystring: LoadQuery }>(`${base}/load/:ido`, async (req, reply) => {
    const t = tenants(req.params.tenant)!;
    const config = req.headers['x-infor-mongooseconfig'];
    if (!config) return reply.code(400).send({ Message: 'The X-Infor-MongooseConfig header is required.' });
    if (!t.config.mongooseConfigs.includes(String(config))) return fail(`Configuration '${String(config)}' was not found.`);
    return load(t.ido, req.params.ido, req.query);
  });
}

export function load(tables: IdoTables, ido: string, q: LoadQuery): object {
  const schema = idoSchemas[ido];
  if (!schema) return fail(`The IDO '${ido}' could not be found.`);

  const props = !q.properties || q.properties.trim() === '*' ? Object.keys(schema) : q.properties.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = props.find((p) => !(p in schema));
  if (unknown) return fail(`Property '${unknown}' was not found on IDO '${ido}'.`);

  let rows: Row[];
  try {
    const predicate = compileFilter(q.filter ?? '', schema);
    rows = tables.rows(ido).filter(predicate);
  } catch (err) {
    if (err instanceof FilterError) return fail(`Invalid filter: ${err.message}.`);
    throw err;
  }

  const order = q.orderBy?.trim() ? q.orderBy.split(',').map((s) => s.trim().split(/\s+/)) : (idoKeys[ido] ?? []).map((p) => [p]);
  for (const [name] of order) if (!name || !(name in schema)) return fail(`Invalid orderBy: property '${name}' was not found on IDO '${ido}'.`);
  const keys = [...order.map(([name, dir]) => ({ name: name!, desc: dir?.toUpperCase() === 'DESC' })), { name: 'RowPointer', desc: false }];
  const cmp = (a: (string | null)[], b: (string | null)[]): number => {
    for (let i = 0; i < keys.length; i++) {
      const { name, desc } = keys[i]!;
      const x = a[i] ?? '';
      const y = b[i] ?? '';
      const c = compare(x, y, schema[name] ?? 'string');
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
  const keyOf = (r: Row) => keys.map((k) => r[k.name] ?? null);
  rows.sort((a, b) => cmp(keyOf(a), keyOf(b)));

  const loadType = (q.loadType ?? 'FIRST').toUpperCase();
  let start = 0;
  if (loadType === 'NEXT') {
    const after = decodeBookmark(q.bookmark);
    if (!after) return fail('The bookmark is not valid for this load.');
    start = rows.findIndex((r) => cmp(keyOf(r), after) > 0);
    if (start < 0) start = rows.length;
  } else if (loadType !== 'FIRST') {
    return fail(`loadType '${loadType}' is not supported by the Ferry sandbox yet.`);
  }
  const capRaw = Number(q.recordCap ?? -1);
  const cap = !Number.isFinite(capRaw) || capRaw < 0 ? DEFAULT_CAP : capRaw === 0 ? Number.MAX_SAFE_INTEGER : capRaw;
  const page = rows.slice(start, start + cap);
  const readOnly = q.readOnly?.toLowerCase() === 'true';
  const last = page[page.length - 1];
  return {
    Success: true,
    Message: null,
    Items: page.map((r) => {
      const item: Record<string, string | null> = {};
      for (const p of props) item[p] = r[p] ?? null;
      if (!readOnly) item._ItemId = `PBT=[${ido.toLowerCase()}] ${ido.toLowerCase()}.DT=[${r.RecordDate ?? ''}] ${ido.toLowerCase()}.ID=[${r.RowPointer ?? ''}]`;
      return item;
    }),
    Bookmark: last ? encodeBookmark(keyOf(last)) : null,
    MoreRowsExist: start + cap < rows.length,
  };
}

// Real bookmarks are opaque XML-ish strings holding the last row's key; the client only hands them back.
function encodeBookmark(key: (string | null)[]): string {
  return `<B><K>${Buffer.from(JSON.stringify(key)).toString('base64')}</K></B>`;
}

function decodeBookmark(b: string | undefined): (string | null)[] | null {
  const m = /^<B><K>([A-Za-z0-9+/=]+)<\/K><\/B>$/.exec(b ?? '');
  if (!m) return null;
  try {
    const key = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as unknown;
    return Array.isArray(key) ? (key as (string | null)[]) : null;
  } catch {
    return null;
  }
}
