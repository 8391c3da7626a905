import { z } from 'zod';
import { bearer, type TokenCache } from '../../auth/token-cache';
import type { Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';

// Mongoose IDO REST v2 through the ION API gateway: {apiBase}/CSI/IDORequestService/ido.

export type IdoValue = string | number | boolean | null;
export type IdoItem = Record<string, IdoValue>;

export interface IdoLoadOptions {
  properties: readonly string[] | '*';
  filter?: string;
  orderBy?: string;
  /** Rows per request: -1 = the server's default (200), 0 = everything in one answer. */
  recordCap?: number;
  readOnly?: boolean;
}

export interface IdoPage {
  items: IdoItem[];
  bookmark: string | null;
  moreRowsExist: boolean;
}

const loadResponse = z.object({
  Success: z.boolean(),
  Message: z.string().nullable().optional(),
  Items: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).nullable().optional(),
  Bookmark: z.string().nullable().optional(),
  MoreRowsExist: z.boolean().optional(),
});

/** Success:false on HTTP 200: CloudSuite understood the request and refused it; trying again will not help. */
export class IdoError extends ConnectorError {
  constructor(
    readonly ido: string,
    readonly serverMessage: string,
  ) {
    super('ido_error', `CloudSuite refused a request to ${ido}: ${serverMessage}`, { system: 'CloudSuite', retryable: false, detail: { ido } });
  }
}

export class IdoClient {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenCache,
    private readonly cfg: { idoBase: string; mongooseConfig: string },
  ) {}

  async loadPage(ido: string, opts: IdoLoadOptions, bookmark: string | null = null): Promise<IdoPage> {
    const params: Record<string, string> = {
      properties: opts.properties === '*' ? '*' : opts.properties.join(','),
    };
    if (opts.filter) params.filter = opts.filter;
    if (opts.orderBy) params.orderBy = opts.orderBy;
    if (opts.recordCap !== undefined) params.recordCap = String(opts.recordCap);
    if (opts.readOnly) params.readOnly = 'true';
    if (bookmark) {
      params.loadType = 'NEXT';
      params.bookmark = bookmark;
    }
    const data = await this.get(`/load/${encodeURIComponent(ido)}`, params, true, `loading ${ido}`);
    const body = loadResponse.safeParse(data);
    if (!body.success) {
      throw new ConnectorError('ido_bad_response', `CloudSuite answered a request to ${ido} with something Ferry cannot read.`, { system: 'CloudSuite', retryable: true });
    }
    if (!body.data.Success) throw new IdoError(ido, body.data.Message ?? 'no reason given');
    return { items: body.data.Items ?? [], bookmark: body.data.Bookmark ?? null, moreRowsExist: body.data.MoreRowsExist ?? false };
  }

  /** Every page of a load, following the bookmark until MoreRowsExist is false. */
  async *loadPages(ido: string, opts: IdoLoadOptions): AsyncGenerator<IdoItem[]> {
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

  async loadAll(ido: string, opts: IdoLoadOptions): Promise<IdoItem[]> {
    const all: IdoItem[] = [];
    for await (const items of this.loadPages(ido, opts)) all.push(...items);
    return all;
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
