import { z } from 'zod';
import { bearer, type TokenCache } from '../../auth/token-cache';
import type { Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { idoMethodContract, type IdoMethod, type IdoName, type IdoProperty } from '../../contracts/cloudsuite';
import { firstField } from './edge';

// Mongoose IDO REST v2 through the ION API gateway: {apiBase}/CSI/IDORequestService/ido. Every IDO,
// property and method named here comes from Ferry's contract (../../contracts/cloudsuite-industrial.json):
// the types make any other name a compile error. Load parameters go by the names Infor documents (lower
// case: properties, filter, orderby, recordcap, loadtype, bookmark).

export type IdoValue = string | number | boolean | null;
export type IdoItem = Record<string, IdoValue>;

export interface IdoLoadOptions<I extends IdoName = IdoName> {
  properties: readonly IdoProperty<I>[];
  filter?: string;
  orderBy?: string;
  /** Rows per request: -1 = the server's default (200), 0 = everything in one answer. */
  recordCap?: number;
}

export interface IdoPage {
  items: IdoItem[];
  bookmark: string | null;
  moreRowsExist: boolean;
}

const idoValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

// Envelopes are loose: Mongoose adds fields across releases and an unknown one must not stop a sync.
const loadResponse = z.looseObject({
  Success: z.boolean(),
  Message: z.string().nullable().optional(),
  Items: z.array(z.record(z.string(), idoValue)).nullable().optional(),
  Bookmark: z.string().nullable().optional(),
  MoreRowsExist: z.boolean().optional(),
});

const updateResponse = z.looseObject({
  Success: z.boolean(),
  Message: z.string().nullable().optional(),
  RefreshItems: z
    .array(z.looseObject({ ItemId: z.string().nullable().optional(), Properties: z.array(z.looseObject({ Name: z.string(), Value: idoValue.optional() })).nullable().optional() }))
    .nullable()
    .optional(),
});

const infoResponse = z.looseObject({
  Success: z.boolean(),
  Message: z.string().nullable().optional(),
  Keys: z.array(z.string()).nullable().optional(),
  Properties: z.array(z.looseObject({ Name: z.string() })).nullable().optional(),
});

const invokeResponse = z.looseObject({
  Success: z.boolean(),
  Message: z.string().nullable().optional(),
  ReturnValue: z.union([z.string(), z.number()]).nullable().optional(),
  Parameters: z.array(idoValue).nullable().optional(),
});

/** One row change of an UpdateCollection request. */
export interface IdoChange<I extends IdoName = IdoName> {
  action: 'insert' | 'update' | 'delete';
  /** The row's `_ItemId` from a load: update and delete find the row, and lock it, by it. */
  itemId?: string;
  /** The properties to write; every one is sent as Modified. */
  properties: IdoProperties<I>;
}

export type IdoProperties<I extends IdoName> = Partial<Record<IdoProperty<I>, IdoValue>>;

export interface IdoWriteOptions {
  what?: string;
  /** For a write whose answer was lost: prove it did not happen, so it may be sent again (see Http.send). */
  verifyNotApplied?: () => Promise<boolean>;
  /** The write may be repeated as it is (an update that only sets values, without locking). */
  idempotent?: boolean;
}

const ACTIONS = { insert: 1, update: 2, delete: 4 } as const;

/** Success:false on HTTP 200: CloudSuite understood the request and refused it; trying again will not help. */
export class IdoError extends ConnectorError {
  constructor(
    readonly ido: string,
    readonly serverMessage: string,
  ) {
    super('ido_error', `CloudSuite refused a request to ${ido}: ${serverMessage}`, { system: 'CloudSuite', retryable: false, detail: { ido } });
  }
}

/**
 * A method that ran and failed: ReturnValue other than "0" (16 for an error), its reason in the Infobar
 * parameter. The call itself succeeded (Success: true), so only this check catches it. Not retryable: the
 * cause (a closed period, an unbalanced voucher) is CloudSuite's answer, not a passing fault.
 */
export class IdoMethodError extends ConnectorError {
  constructor(
    readonly method: string,
    readonly returnValue: string,
    readonly infobar: string | null,
  ) {
    super('ido_method_failed', infobar ? `CloudSuite refused ${method}: ${infobar}` : `CloudSuite's ${method} returned ${returnValue} and gave no reason.`, {
      system: 'CloudSuite',
      retryable: false,
      detail: { method, returnValue },
    });
  }
}

export class IdoClient {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenCache,
    private readonly cfg: { idoBase: string; mongooseConfig: string },
  ) {}

  async loadPage<I extends IdoName>(ido: I, opts: IdoLoadOptions<I>, bookmark: string | null = null): Promise<IdoPage> {
    const params: Record<string, string> = { properties: opts.properties.join(',') };
    if (opts.filter) params.filter = opts.filter;
    if (opts.orderBy) params.orderby = opts.orderBy;
    if (opts.recordCap !== undefined) params.recordcap = String(opts.recordCap);
    if (bookmark) {
      params.loadtype = 'NEXT';
      params.bookmark = bookmark;
    }
    const data = await this.get(`/load/${encodeURIComponent(ido)}`, params, true, `loading ${ido}`);
    const body = envelope(loadResponse, data, ido);
    if (!body.Success) throw new IdoError(ido, body.Message ?? 'no reason given');
    return { items: body.Items ?? [], bookmark: body.Bookmark ?? null, moreRowsExist: body.MoreRowsExist ?? false };
  }

  /** Every page of a load, following the bookmark until MoreRowsExist is false. */
  async *loadPages<I extends IdoName>(ido: I, opts: IdoLoadOptions<I>): AsyncGenerator<IdoItem[]> {
    let bookmark: string | null = null;
    for (;;) {
      const page: IdoPage = await this.loadPage(ido, opts, bookmark);
      yield page.items;
      if (!page.moreRowsExist) return;
      if (!page.bookmark || page.bookmark === bookmark || page.items.length === 0) {
        throw new ConnectorError('ido_paging', `CloudSuite said more rows of ${ido} exist but gave no way to fetch them; stopping rather than looping.`, { system: 'CloudSuite', retryable: false });
      }
      bookmark = page.bookmark;
    }
  }

  async loadAll<I extends IdoName>(ido: I, opts: IdoLoadOptions<I>): Promise<IdoItem[]> {
    const all: IdoItem[] = [];
    for await (const items of this.loadPages(ido, opts)) all.push(...items);
    return all;
  }

  /**
   * One insert, update or delete (field advice: one change per request, so a refusal names one row and
   * nothing is half-saved). Updates and deletes lock on the RecordDate inside `_ItemId`. Returns the row as
   * saved (RefreshItems), with its new `_ItemId`; null after a delete.
   */
  async update<I extends IdoName>(ido: I, change: IdoChange<I>, opts: IdoWriteOptions = {}): Promise<IdoItem | null> {
    const body = {
      IDOName: ido,
      RefreshAfterSave: true,
      Changes: [
        {
          Action: ACTIONS[change.action],
          ItemId: change.itemId ?? (change.action === 'insert' ? `PBT=[${ido.toLowerCase()}]` : null),
          UpdateLocking: 1,
          Properties: Object.entries(change.properties as Record<string, IdoValue>).map(([Name, v]) => ({ Name, Value: v === null ? null : String(v), Modified: true, IsNull: v === null })),
        },
      ],
    };
    const data = await this.post(`/update/${encodeURIComponent(ido)}`, { refresh: 'true' }, body, { what: `${change.action === 'insert' ? 'adding' : change.action === 'update' ? 'changing' : 'deleting'} ${ido}`, ...opts });
    const res = envelope(updateResponse, data, ido, true);
    if (!res.Success) throw new IdoError(ido, res.Message ?? 'no reason given');
    const item = res.RefreshItems?.[0];
    if (!item) return null;
    const row: IdoItem = Object.fromEntries((item.Properties ?? []).map((p) => [p.Name, p.Value ?? null]));
    if (item.ItemId) row._ItemId = item.ItemId;
    return row;
  }

  /**
   * Calls an IDO method with every parameter the contract lists, by name (unnamed ones go as null); the
   * outputs come back by name. A ReturnValue other than "0" throws IdoMethodError with the Infobar's reason.
   */
  async invoke<I extends IdoName>(ido: I, method: IdoMethod<I>, inputs: Record<string, IdoValue>, opts: IdoWriteOptions = {}): Promise<Record<string, IdoValue>> {
    const contract = idoMethodContract(ido, method);
    if (!contract) throw new Error(`${ido}.${method} is not in Ferry's CloudSuite contract`);
    const unknown = Object.keys(inputs).find((name) => !contract.parameters.some((p) => p.name === name));
    if (unknown) throw new Error(`${ido}.${method} has no parameter ${unknown} in Ferry's CloudSuite contract`);
    const parameters = contract.parameters.map((p) => {
      const v = inputs[p.name];
      return v === undefined || v === null ? null : String(v);
    });
    const data = await this.post(`/invoke/${encodeURIComponent(ido)}`, { method }, parameters, { what: `running ${ido}.${method}`, ...opts });
    const res = envelope(invokeResponse, data, `${ido}.${method}`, true);
    if (!res.Success) throw new IdoError(`${ido}.${method}`, res.Message ?? 'no reason given');
    const out: Record<string, IdoValue> = Object.fromEntries(contract.parameters.map((p, i) => [p.name, res.Parameters?.[i] ?? null]));
    const rv = res.ReturnValue === null || res.ReturnValue === undefined ? '0' : String(res.ReturnValue).trim();
    if (rv !== '0') {
      const infobar = typeof out.Infobar === 'string' && out.Infobar.trim() ? out.Infobar.trim() : null;
      throw new IdoMethodError(`${ido}.${method}`, rv, infobar);
    }
    return out;
  }

  /**
   * GET /info/{ido}: the IDO's keys and property names as this tenant has them (customers' user fields
   * included), or null when the tenant has no such IDO. The connection test checks Ferry's contract with it.
   */
  async info(ido: IdoName): Promise<{ keys: string[]; properties: string[] } | null> {
    const data = await this.get(`/info/${encodeURIComponent(ido)}`, {}, true, `describing ${ido}`);
    const body = envelope(infoResponse, data, ido);
    if (!body.Success) return null;
    return { keys: body.Keys ?? [], properties: (body.Properties ?? []).map((p) => p.Name) };
  }

  async configurations(): Promise<string[]> {
    const data = await this.get('/configurations', {}, false, 'listing configurations');
    const body = z.object({ Configurations: z.array(z.string()).optional() }).passthrough().safeParse(data);
    return body.success ? (body.data.Configurations ?? []) : [];
  }

  /** GET with the bearer token (the HTTP layer renews it once on a 401, and retries what may be retried). */
  private async get(path: string, params: Record<string, string>, withConfig: boolean, what: string): Promise<unknown> {
    const headers: Record<string, string> = withConfig ? { 'X-Infor-MongooseConfig': this.cfg.mongooseConfig } : {};
    const res = await this.http.send({ method: 'GET', url: this.cfg.idoBase + path, params, headers, auth: bearer(this.tokens), what });
    return res.data;
  }

  /** POST is never repeated blindly: only when `idempotent`, or when `verifyNotApplied` proves it did not land. */
  private async post(path: string, params: Record<string, string>, data: unknown, o: IdoWriteOptions & { what: string }): Promise<unknown> {
    const res = await this.http.send({
      method: 'POST',
      url: this.cfg.idoBase + path,
      params,
      data,
      headers: { 'X-Infor-MongooseConfig': this.cfg.mongooseConfig, 'Content-Type': 'application/json' },
      auth: bearer(this.tokens),
      what: o.what,
      idempotent: o.idempotent,
      verifyNotApplied: o.verifyNotApplied,
    });
    return res.data;
  }
}

/** The Mongoose envelope, or a sentence naming what is missing from it. */
function envelope<S extends z.ZodType>(schema: S, data: unknown, ido: string, write = false): z.output<S> {
  const body = schema.safeParse(data);
  if (body.success) return body.data;
  // An answer cut short reads as garbage: for a write that means it may or may not have been saved.
  if (write) {
    throw new ConnectorError('write_uncertain', `CloudSuite's answer to a change of ${ido} could not be read, so Ferry cannot tell whether it was saved; the next step checks CloudSuite first.`, {
      system: 'CloudSuite',
      retryable: true,
      detail: { ido, field: firstField(body.error) },
    });
  }
  // Retryable: a proxy's error page or a half-written answer is the usual cause, and it passes.
  throw new ConnectorError('ido_bad_response', `CloudSuite answered a request to ${ido} with something Ferry cannot read ("${firstField(body.error)}" is missing or not valid).`, {
    system: 'CloudSuite',
    retryable: true,
    detail: { ido, field: firstField(body.error) },
  });
}

/** IDO dates arrive as "yyyyMMdd HH:mm:ss.fff" (site time, no zone); Ferry treats them as UTC. */
export function parseIdoDate(value: IdoValue): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0'] = m;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +ms.padEnd(3, '0'))).toISOString();
}

/** The date literal IDO filters take: '2026-02-01 00:00:00.000'. */
export function idoDateLiteral(d: Date): string {
  return `'${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** N'…' string literal with quotes doubled, so a value can never end the literal early. */
export function idoString(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}
