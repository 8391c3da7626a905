import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compare, compileFilter, FilterError, type Row } from './ido-filter';
import { info, itemIdOf, joinedNames, propertyTypes, withJoined } from './ido-info';
import { invoke } from './ido-invoke';
import { idoKeys } from './ido-schema';
import type { IdoTables } from './ido-tables';
import { update } from './ido-update';
import type { TenantConfig } from './tenants';

// Mongoose IDO REST v2 behind the ION gateway: {gateway}/{tenant}/CSI/IDORequestService/ido/...
// load, update (ido-update.ts), invoke (ido-invoke.ts), info (ido-info.ts) and configurations. Product errors
// come back as HTTP 200 with Success:false, like the real server.

const DEFAULT_CAP = 200;

export interface IdoTenant {
  config: TenantConfig;
  ido: IdoTables;
}

/**
 * The LoadCollection parameters Infor documents, by their documented lower-case names (properties, filter,
 * orderby, recordcap, loadtype, bookmark); the query is read without regard to case, as clients spell them
 * both ways. An unknown parameter (readOnly, say) is ignored, so every row carries its _ItemId.
 */
export interface LoadQuery {
  properties?: string;
  filter?: string;
  orderby?: string;
  recordcap?: string;
  loadtype?: string;
  bookmark?: string;
}

function loadQuery(raw: Record<string, unknown>): LoadQuery {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

const fail = (Message: string) => ({ Success: false, Message, Items: null, Bookmark: null, MoreRowsExist: false });

type Req = FastifyRequest<{ Params: { tenant: string; ido: string } }>;

/** Routes behind the gateway (gateway.ts has already checked the tenant and the bearer token). */
export function registerIdo(app: FastifyInstance, tenants: (id: string) => IdoTenant | undefined): void {
  const base = '/:tenant/CSI/IDORequestService/ido';

  /** Every call but /configurations names a Mongoose configuration; through ION the header is mandatory. */
  const tenantFor = (req: Req, reply: FastifyReply): IdoTenant | null => {
    const t = tenants(req.params.tenant)!;
    const config = req.headers['x-infor-mongooseconfig'];
    if (!config) {
      void reply.code(400).send({ Message: 'The X-Infor-MongooseConfig header is required.' });
      return null;
    }
    if (!t.config.mongooseConfigs.includes(String(config))) {
      void reply.send({ Success: false, Message: `Configuration '${String(config)}' was not found.` });
      return null;
    }
    return t;
  };

  /** A body that is not JSON at all gets Mongoose's envelope on HTTP 400 rather than Fastify's own error. */
  const errorHandler = (err: Error & { statusCode?: number }, _req: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ Success: false, Message: status === 500 ? 'An internal error occurred.' : `The request could not be read: ${err.message}` });
  };

  app.get<{ Params: { tenant: string } }>(`${base}/configurations`, async (req) => ({
    Configurations: tenants(req.params.tenant)!.config.mongooseConfigs,
  }));

  app.get<{ Params: { tenant: string; ido: string }; Querystring: Record<string, unknown> }>(`${base}/load/:ido`, async (req, reply) => {
    const t = tenantFor(req, reply);
    return t ? load(t.ido, req.params.ido, loadQuery(req.query)) : reply;
  });

  app.get<{ Params: { tenant: string; ido: string } }>(`${base}/info/:ido`, async (req, reply) => {
    const t = tenantFor(req, reply);
    return t ? info(req.params.ido) : reply;
  });

  app.post<{ Params: { tenant: string; ido: string }; Querystring: { refresh?: string } }>(`${base}/update/:ido`, { errorHandler }, async (req, reply) => {
    const t = tenantFor(req, reply);
    if (!t) return reply;
    const out = await update(t.ido, req.params.ido, req.body, req.query.refresh?.toLowerCase() === 'true');
    return reply.code(out.status).send(out.body);
  });

  app.post<{ Params: { tenant: string; ido: string }; Querystring: { method?: string } }>(`${base}/invoke/:ido`, { errorHandler }, async (req, reply) => {
    const t = tenantFor(req, reply);
    if (!t) return reply;
    const out = invoke(t.ido, req.params.ido, req.query.method, req.body);
    return reply.code(out.status).send(out.body);
  });
}

type Key = (string | null)[];

/**
 * GET /load/{ido}. loadType FIRST (default) and LAST start at either end; NEXT continues after the
 * bookmark's last row, PREVIOUS before its first row. Rows always come back in the load's order; for LAST and
 * PREVIOUS, MoreRowsExist says whether rows exist further back (the direction of travel).
 */
export function load(tables: IdoTables, ido: string, q: LoadQuery): object {
  const types = propertyTypes(ido);
  if (!types) return fail(`The IDO '${ido}' could not be found.`);

  const props = !q.properties || q.properties.trim() === '*' ? Object.keys(types) : q.properties.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = props.find((p) => !(p in types));
  if (unknown) return fail(`Property '${unknown}' was not found on IDO '${ido}'.`);

  const order = q.orderby?.trim() ? q.orderby.split(',').map((s) => s.trim().split(/\s+/)) : (idoKeys[ido] ?? []).map((p) => [p]);
  for (const [name] of order) if (!name || !(name in types)) return fail(`Invalid orderby: property '${name}' was not found on IDO '${ido}'.`);

  // Joined properties are computed only when the load names them somewhere.
  const mentions = (name: string) => props.includes(name) || new RegExp(`\\b${name}\\b`, 'i').test(`${q.filter ?? ''} ${q.orderby ?? ''}`);
  const joined = joinedNames(ido).filter(mentions);
  const source = joined.length ? withJoined(tables, ido, tables.rows(ido), joined) : tables.rows(ido);

  let rows: Row[];
  try {
    rows = source.filter(compileFilter(q.filter ?? '', types));
  } catch (err) {
    if (err instanceof FilterError) return fail(`Invalid filter: ${err.message}.`);
    throw err;
  }

  const keys = [...order.map(([name, dir]) => ({ name: name!, desc: dir?.toUpperCase() === 'DESC' })), { name: 'RowPointer', desc: false }];
  const cmp = (a: Key, b: Key): number => {
    for (let i = 0; i < keys.length; i++) {
      const { name, desc } = keys[i]!;
      const c = compare(a[i] ?? '', b[i] ?? '', types[name] ?? 'string');
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
  const sorted = rows.map((row) => ({ row, key: keys.map((k) => row[k.name] ?? null) })).sort((a, b) => cmp(a.key, b.key));

  const capRaw = Number(q.recordcap ?? -1);
  const cap = !Number.isFinite(capRaw) || capRaw < 0 ? DEFAULT_CAP : capRaw === 0 ? Number.MAX_SAFE_INTEGER : capRaw;
  const loadType = (q.loadtype ?? 'FIRST').toUpperCase();
  let start: number;
  let end: number;
  let more: boolean;
  if (loadType === 'FIRST' || loadType === 'NEXT') {
    start = 0;
    if (loadType === 'NEXT') {
      const mark = decodeBookmark(q.bookmark, keys.length);
      if (!mark) return fail('The bookmark is not valid for this load.');
      start = sorted.findIndex((r) => cmp(r.key, mark.last) > 0);
      if (start < 0) start = sorted.length;
    }
    end = Math.min(sorted.length, start + cap);
    more = end < sorted.length;
  } else if (loadType === 'LAST' || loadType === 'PREVIOUS' || loadType === 'PREV') {
    end = sorted.length;
    if (loadType === 'PREVIOUS' || loadType === 'PREV') {
      const mark = decodeBookmark(q.bookmark, keys.length);
      if (!mark) return fail('The bookmark is not valid for this load.');
      end = sorted.findIndex((r) => cmp(r.key, mark.first) >= 0);
      if (end < 0) end = sorted.length;
    }
    start = Math.max(0, end - cap);
    more = start > 0;
  } else {
    return fail(`loadtype '${loadType}' is not valid: use FIRST, NEXT, PREV or LAST.`);
  }

  const page = sorted.slice(start, end);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    Success: true,
    Message: null,
    Items: page.map(({ row }) => {
      const item: Record<string, string | null> = {};
      for (const p of props) item[p] = row[p] ?? null;
      item._ItemId = itemIdOf(ido, row);
      return item;
    }),
    Bookmark: first && last ? encodeBookmark(first.key, last.key) : null,
    MoreRowsExist: more,
  };
}

// Real bookmarks are opaque XML-ish strings holding the first and last row's key; the client only hands them
// back. Bookmarks from before PREVIOUS existed (<B><K>last</K></B>) are still read, as both ends.
function encodeBookmark(first: Key, last: Key): string {
  const b64 = (k: Key) => Buffer.from(JSON.stringify(k)).toString('base64');
  return `<B><F>${b64(first)}</F><L>${b64(last)}</L></B>`;
}

function decodeBookmark(b: string | undefined, length: number): { first: Key; last: Key } | null {
  const key = (s: string | undefined): Key | null => {
    try {
      const k = JSON.parse(Buffer.from(s ?? '', 'base64').toString('utf8')) as unknown;
      // A bookmark from a load with another orderBy cannot be placed in this one.
      return Array.isArray(k) && k.length === length && k.every((v) => v === null || typeof v === 'string') ? (k as Key) : null;
    } catch {
      return null;
    }
  };
  const b64 = '([A-Za-z0-9+/=]+)';
  const both = new RegExp(`^<B><F>${b64}</F><L>${b64}</L></B>$`).exec(b ?? '');
  const legacy = new RegExp(`^<B><K>${b64}</K></B>$`).exec(b ?? '');
  const first = key(both?.[1] ?? legacy?.[1]);
  const last = key(both?.[2] ?? legacy?.[1]);
  return first && last ? { first, last } : null;
}
