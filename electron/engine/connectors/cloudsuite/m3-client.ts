import { z } from 'zod';
import { bearer, type TokenCache } from '../../auth/token-cache';
import type { Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { firstField } from './edge';

// CloudSuite M3 through m3api-rest v2 behind the ION gateway: {apiBase}/M3/m3api-rest/v2/execute.
//   GET  …/execute/{PROGRAM}/{TRANSACTION}?CONO=…&FIELD=…&maxrecs=N   one transaction
//   POST …/execute { program, cono, transactions: [{ transaction, record }] }   several of one program
// M3 answers refusals with HTTP 200 and errorMessage / nrOfFailedTransactions; they become M3Error.
// m3api-rest runs writes through GET too, so every write here says it is not idempotent: the HTTP layer then
// repeats it only with proof that it did not land.

/** One MI record: field → value (m3api-rest sends every value as a string). */
export type M3Record = Record<string, string>;
export type M3Input = Record<string, string | number | null | undefined>;

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));
const resultSchema = z.looseObject({
  transaction: z.string().optional(),
  records: z.array(z.record(z.string(), value)).nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  errorField: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  errorType: z.string().nullable().optional(),
});
const envelopeSchema = z.looseObject({
  results: z.array(resultSchema),
  wasTerminated: z.boolean().optional(),
  nrOfSuccessfullTransactions: z.number().optional(),
  nrOfFailedTransactions: z.number().optional(),
});
type RawResult = z.output<typeof resultSchema>;

/**
 * An MI transaction M3 refused (HTTP 200 with errorMessage): M3 understood the request and said no, so the
 * same request will not succeed later. Carries the program, transaction and the field M3 named.
 */
export class M3Error extends ConnectorError {
  constructor(
    readonly program: string,
    readonly transaction: string,
    readonly serverMessage: string,
    readonly field: string | null,
    readonly m3Code: string | null,
    readonly m3Type: string | null,
  ) {
    super('m3_error', `CloudSuite M3 refused ${program}/${transaction}${field ? ` (field ${field})` : ''}: ${serverMessage}`, {
      system: 'CloudSuite',
      retryable: false,
      detail: { program, transaction, field, code: m3Code, type: m3Type },
    });
    this.name = 'M3Error';
  }
}

/** One transaction's outcome in a bulk request: its records, or the refusal. */
export interface M3Result {
  transaction: string;
  records: M3Record[];
  error: M3Error | null;
}

export interface M3WriteOptions {
  what: string;
  /** Proof, for an answer that was lost, that the write did not land (see Http.send). */
  verifyNotApplied?: () => Promise<boolean>;
  /** M3 ignores a repeat (an update that only sets values): the HTTP layer may send it again. */
  idempotent?: boolean;
}

/** m3api-rest's advice: keep bulk requests small, a message of tens of KB can hit the gateway's 60 s. */
export const BULK_TRANSACTIONS = 50;

export class M3Client {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenCache,
    private readonly cfg: { m3Base: string; company: number },
  ) {}

  /** A read: safe to repeat. `maxrecs` 0 means every record. */
  async read(program: string, transaction: string, input: M3Input, o: { maxrecs?: number; what?: string } = {}): Promise<M3Record[]> {
    return this.single(program, transaction, input, { what: o.what ?? `reading ${program}/${transaction}`, idempotent: true }, o.maxrecs);
  }

  /** A write, one transaction by GET, repeated only when `idempotent` or proven not to have landed. */
  async write(program: string, transaction: string, input: M3Input, o: M3WriteOptions): Promise<M3Record[]> {
    return this.single(program, transaction, input, { idempotent: false, ...o });
  }

  /**
   * Several transactions of one program in one POST (at most BULK_TRANSACTIONS). Returns each outcome;
   * refusals are not thrown, so a caller can accept some (a "does not exist" on a lookup).
   */
  async bulk(program: string, transactions: { transaction: string; record: M3Input }[], o: M3WriteOptions & { maxrecs?: number }): Promise<M3Result[]> {
    if (transactions.length === 0) return [];
    if (transactions.length > BULK_TRANSACTIONS) throw new Error(`bulk request of ${transactions.length} transactions; split it (at most ${BULK_TRANSACTIONS})`);
    const data = {
      program,
      cono: this.cfg.company,
      maxReturnedRecords: o.maxrecs ?? 0,
      transactions: transactions.map((t) => ({ transaction: t.transaction, record: clean(t.record) })),
    };
    const res = await this.http.send({
      method: 'POST',
      url: this.cfg.m3Base,
      data,
      headers: { 'Content-Type': 'application/json' },
      auth: bearer(this.tokens),
      what: o.what,
      idempotent: o.idempotent ?? false,
      verifyNotApplied: o.verifyNotApplied,
    });
    const body = envelope(res.data, program, !(o.idempotent ?? false));
    if (body.results.length !== transactions.length) {
      throw new ConnectorError('m3_bad_response', `CloudSuite M3 answered ${transactions.length} ${program} transactions with ${body.results.length} results${body.wasTerminated ? ' (it stopped early)' : ''}.`, {
        system: 'CloudSuite',
        retryable: !body.wasTerminated,
        detail: { program },
      });
    }
    return body.results.map((r, i) => outcome(program, r.transaction ?? transactions[i]!.transaction, r));
  }

  private async single(program: string, transaction: string, input: M3Input, o: M3WriteOptions, maxrecs?: number): Promise<M3Record[]> {
    const params: Record<string, string> = { CONO: String(this.cfg.company), ...clean(input) };
    if (maxrecs !== undefined) params.maxrecs = String(maxrecs);
    const res = await this.http.send({
      method: 'GET',
      url: `${this.cfg.m3Base}/${encodeURIComponent(program)}/${encodeURIComponent(transaction)}`,
      params,
      auth: bearer(this.tokens),
      what: o.what,
      idempotent: o.idempotent,
      verifyNotApplied: o.verifyNotApplied,
    });
    const body = envelope(res.data, program, !(o.idempotent ?? false));
    const first = body.results[0];
    if (!first) {
      // nrOfFailedTransactions without a result to name the reason is still a refusal.
      if ((body.nrOfFailedTransactions ?? 0) > 0) throw new M3Error(program, transaction, 'the transaction failed (no message)', null, null, null);
      return [];
    }
    const r = outcome(program, transaction, first);
    if (r.error) throw r.error;
    if ((body.nrOfFailedTransactions ?? 0) > 0) throw new M3Error(program, transaction, 'the transaction failed (no message)', null, null, null);
    return r.records;
  }
}

function outcome(program: string, transaction: string, r: RawResult): M3Result {
  const error = r.errorMessage ? new M3Error(program, transaction, r.errorMessage, r.errorField ?? null, r.errorCode ?? null, r.errorType ?? null) : null;
  return { transaction, records: error ? [] : (r.records ?? []), error };
}

/** Blank values are left out: M3 reads an absent field and an empty one alike, and rejects too-long blanks. */
function clean(input: M3Input): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (v !== null && v !== undefined && String(v) !== '') out[k] = String(v);
  return out;
}

function envelope(data: unknown, program: string, write: boolean): z.output<typeof envelopeSchema> {
  const body = envelopeSchema.safeParse(data);
  if (body.success) return body.data;
  // An answer cut short reads as garbage: for a write that means it may or may not have been done.
  if (write) {
    throw new ConnectorError('write_uncertain', `CloudSuite M3's answer to ${program} could not be read, so Ferry cannot tell whether it was done; the next step checks M3 first.`, {
      system: 'CloudSuite',
      retryable: true,
      detail: { program, field: firstField(body.error) },
    });
  }
  // Retryable: a proxy's page or a half-written answer is the usual cause, and it passes.
  throw new ConnectorError('m3_bad_response', `CloudSuite M3 answered a ${program} request with something Ferry cannot read ("${firstField(body.error)}" is missing or not valid).`, {
    system: 'CloudSuite',
    retryable: true,
    detail: { program, field: firstField(body.error) },
  });
}

/** Splits a list for bulk requests. */
export function chunks<T>(items: readonly T[], size = BULK_TRANSACTIONS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** yyyyMMdd from a calendar date yyyy-mm-dd. */
export const m3Day = (day: string): string => day.replace(/-/g, '');

/** ISO time of midnight from an M3 yyyyMMdd, or null for blank/zero dates. */
export function fromM3Day(v: string | undefined): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v ?? '');
  if (!m || m[1] === '0000') return null;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString();
}

/** ISO time from M3's LMTS change stamp (milliseconds since 1970, UTC). */
export function fromM3Stamp(v: string | undefined): string | null {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : null;
}
