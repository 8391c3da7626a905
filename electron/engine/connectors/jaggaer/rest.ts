import { z } from 'zod';
import { bearer, type TokenCache } from '../../auth/token-cache';
import type { Capture, Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { JaggaerError, parseAnswer } from './errors';

// The J1P REST calls every module shares: bearer token (renewed once on a 401 by the HTTP layer), the
// HTTP-200 returnCode check, then the module's schema.

const returnEnvelope = z.looseObject({
  returnCode: z.union([z.number(), z.string()]).optional(),
  returnMessage: z.string().nullish(),
});

/** Throws JaggaerError when the body says returnCode ≠ 0, whatever the HTTP status was. */
export function checkReturnCode(data: unknown, what: string, capture: Capture | null): void {
  const env = returnEnvelope.safeParse(data);
  if (!env.success || env.data.returnCode === undefined) return;
  const code = Number(env.data.returnCode);
  if (code !== 0) throw new JaggaerError(Number.isNaN(code) ? -1 : code, env.data.returnMessage ?? '', what, capture);
}

export interface RestGet {
  params?: Record<string, string>;
  what: string;
  /** Answer null for a 404 instead of failing: "no such invoice" is an answer. */
  notFoundIsNull?: boolean;
}

export interface RestPost {
  what: string;
  idempotent?: boolean;
  verifyNotApplied?: () => Promise<boolean>;
}

/** What a write answered, or what a search found in its place when the answer was lost. */
export type Proved<A, R> = { answer: A; found?: undefined } | { answer?: undefined; found: R };

function unknownOutcome(what: string, capture: Capture): ConnectorError {
  return new ConnectorError(
    'write_uncertain',
    `JAGGAER's answer to ${what} was cut off, so Ferry cannot tell whether it took effect. Ferry did not send it again, so nothing is doubled; the next run checks JAGGAER first.`,
    { system: 'JAGGAER', retryable: true, capture },
  );
}

export class JaggaerRest {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenCache,
    private readonly baseUrl: string,
  ) {}

  private url(path: string): string {
    return this.baseUrl.replace(/\/+$/, '') + path;
  }

  async get<S extends z.ZodType>(path: string, schema: S, o: RestGet & { notFoundIsNull: true }): Promise<z.output<S> | null>;
  async get<S extends z.ZodType>(path: string, schema: S, o: RestGet): Promise<z.output<S>>;
  async get<S extends z.ZodType>(path: string, schema: S, o: RestGet): Promise<z.output<S> | null> {
    const res = await this.http.send<unknown>({
      method: 'GET',
      url: this.url(path),
      params: o.params,
      auth: bearer(this.tokens),
      acceptStatus: o.notFoundIsNull ? (s) => s === 404 : undefined,
      what: o.what,
    });
    if (res.status === 404) return null;
    checkReturnCode(res.data, o.what, res.capture);
    return parseAnswer(schema, res.data, o.what, res.capture);
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema: S, o: RestPost): Promise<z.output<S>> {
    const res = await this.http.send<unknown>({
      method: 'POST',
      url: this.url(path),
      data: body,
      headers: { 'Content-Type': 'application/json' },
      auth: bearer(this.tokens),
      idempotent: o.idempotent,
      verifyNotApplied: o.verifyNotApplied,
      what: o.what,
    });
    // A 2xx whose body is not JSON (cut off by a proxy or a dropped connection): JAGGAER received the write
    // and may well have applied it, so this is an unknown outcome, not a bad answer.
    if (typeof res.data !== 'object' || res.data === null) throw unknownOutcome(o.what, res.capture);
    checkReturnCode(res.data, o.what, res.capture);
    return parseAnswer(schema, res.data, o.what, res.capture);
  }

  /**
   * A write that is not idempotent but whose effect a search can see (a supplier by extCode, an invoice by
   * the supplier's number). It is sent again only when the search shows it did not land; when the answer
   * is lost and the search finds exactly one result, that result is the answer. Anything else stays an
   * unknown outcome for the next run to settle.
   */
  async postProved<S extends z.ZodType, R>(path: string, body: unknown, schema: S, what: string, find: () => Promise<R[]>): Promise<Proved<z.output<S>, R>> {
    const proof = { seen: null as R[] | null };
    const verifyNotApplied = async () => {
      proof.seen = await find();
      return proof.seen.length === 0;
    };
    try {
      return { answer: await this.post(path, body, schema, { what, verifyNotApplied }) };
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.code !== 'write_uncertain') throw err;
      // After a cut-off 2xx the HTTP layer had no reason to search; do it now.
      const found = proof.seen ?? (await find().catch(() => null));
      if (found?.length === 1) return { found: found[0]! };
      throw err;
    }
  }
}
