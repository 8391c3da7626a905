import { z } from 'zod';
import { bearer, type TokenCache } from '../../auth/token-cache';
import type { Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { MI_DEFAULT_MAXRECS, miTransactionContract, type MiInput, type MiOutput, type MiProgram, type MiTransaction } from '../../contracts/cloudsuite';
import { firstField } from './edge';

// CloudSuite M3 through m3api-rest v2 behind the ION gateway, as contracts/cloudsuite-m3.json has it:
//   GET {apiBase}/M3/m3api-rest/v2/execute/{PROGRAM}/{TRANSACTION};maxrecs=N;cono=C[;divi=D][;returncols=…]?FIELD=…
// Options are matrix parameters on the transaction segment (endpoint.maxrecs, .returncols, .cono, .divi); only
// the transaction's own inputs go in the query. maxrecs is always sent: the server's default when it is left
// out is not published. A refusal comes as HTTP 200 with the error in results[0], or as HTTP 400 with it at
// the top level (endpoint.response, .termination); both become M3Error. Program, transaction and input
// names are typed from the contract, so a name M3 does not publish does not compile.
// m3api-rest runs writes through GET too, so every write here says it is not idempotent: the HTTP layer then
// repeats it only with proof that it did not land. There is no bulk form: none is in the public sources.

/** One MI record: field → value (m3api-rest sends every value as a string; trailing blanks are dropped). */
export type M3Record = Record<string, string>;
/** A transaction's inputs, by the names the contract gives it. */
export type M3Input<P extends MiProgram, T extends MiTransaction<P>> = { [K in MiInput<P, T>]?: string | number | null | undefined };

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v).trimEnd()));
const resultSchema = z.looseObject({
  transaction: z.string().optional(),
  records: z.array(z.record(z.string(), value)).nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  errorField: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  errorType: z.string().nullable().optional(),
});
const envelopeSchema = z.looseObject({
  results: z.array(resultSchema).optional(),
  wasTerminated: z.boolean().optional(),
  nrOfSuccessfullTransactions: z.number().optional(),
  nrOfFailedTransactions: z.number().optional(),
  // A request stopped as a whole (HTTP 400): the error at the top level.
  errorMessage: z.string().nullable().optional(),
  errorField: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  errorType: z.string().nullable().optional(),
  terminationReason: z.string().nullable().optional(),
  terminationErrorType: z.string().nullable().optional(),
});
type Envelope = z.output<typeof envelopeSchema>;

/**
 * An MI transaction M3 refused: M3 understood the request and said no, so the same request will not succeed
 * later. Carries the program, transaction and the field M3 named.
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

export interface M3ReadOptions<P extends MiProgram, T extends MiTransaction<P>> {
  /** Records at most; 0 = every record (endpoint.maxrecs). Default MI_DEFAULT_MAXRECS. */
  maxrecs?: number;
  /** Only these output fields. */
  returncols?: readonly MiOutput<P, T>[];
  what?: string;
}

export interface M3WriteOptions {
  what: string;
  /** Proof, for an answer that was lost, that the write did not land (see Http.send). */
  verifyNotApplied?: () => Promise<boolean>;
  /** M3 ignores a repeat (an update that only sets values): the HTTP layer may send it again. */
  idempotent?: boolean;
}

export class M3Client {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenCache,
    private readonly cfg: { m3Base: string; company: number; division?: string | undefined },
  ) {}

  /** A read: safe to repeat. */
  read<P extends MiProgram, T extends MiTransaction<P>>(program: P, transaction: T, input: M3Input<P, T>, o: M3ReadOptions<P, T> = {}): Promise<M3Record[]> {
    return this.send(program, transaction, input, { what: o.what ?? `reading ${program}/${transaction}`, idempotent: true }, o);
  }

  /** A write (a GET in m3api-rest), repeated only when `idempotent` or proven not to have landed. */
  write<P extends MiProgram, T extends MiTransaction<P>>(program: P, transaction: T, input: M3Input<P, T>, o: M3WriteOptions): Promise<M3Record[]> {
    return this.send(program, transaction, input, { idempotent: false, ...o }, {});
  }

  /**
   * A whole list, a page of `pageSize` at a time: each page restarts the list at the last key it ended on
   * (the key is both an input and an output, like SUNO of CRS620MI/LstByNumber), and the duplicate first row
   * is dropped. Without this a list stops at the page size and says nothing. `start` is the first page's key
   * where the transaction requires one (CRS620MI/LstByNumber's SUNO is mandatory).
   */
  async listAll<P extends MiProgram, T extends MiTransaction<P>>(
    program: P,
    transaction: T,
    input: M3Input<P, T>,
    key: MiInput<P, T> & MiOutput<P, T>,
    o: { what: string; pageSize?: number; start?: string },
  ): Promise<M3Record[]> {
    const page = o.pageSize ?? MI_DEFAULT_MAXRECS;
    const out: M3Record[] = [];
    let from: string | null = null;
    for (;;) {
      const records: M3Record[] = await this.read(program, transaction, { ...input, [key]: from ?? o.start } as M3Input<P, T>, { maxrecs: page, what: o.what });
      const fresh: M3Record[] = from === null ? records : records.filter((r, i) => !(i === 0 && r[key] === from));
      out.push(...fresh);
      if (records.length < page) return out;
      const last: string | null = fresh.at(-1)?.[key] ?? null;
      // A full page that does not move the key would be read again forever.
      if (last === null || last === from) {
        throw new ConnectorError('m3_bad_response', `CloudSuite M3 answered ${program}/${transaction} with a full page that does not move past ${key} ${from ?? ''}; Ferry stopped reading that list.`, {
          system: 'CloudSuite',
          retryable: false,
          detail: { program, transaction, key },
        });
      }
      from = last;
    }
  }

  private async send<P extends MiProgram, T extends MiTransaction<P>>(
    program: P,
    transaction: T,
    input: M3Input<P, T>,
    o: M3WriteOptions,
    r: M3ReadOptions<P, T>,
  ): Promise<M3Record[]> {
    const url = `${this.cfg.m3Base}/${encodeURIComponent(program)}/${encodeURIComponent(transaction)}${this.matrix(r)}`;
    const res = await this.http.send({
      method: 'GET',
      url,
      params: this.params(program, transaction, input),
      auth: bearer(this.tokens),
      what: o.what,
      idempotent: o.idempotent,
      verifyNotApplied: o.verifyNotApplied,
      // m3api-rest v2 answers a request it stops as a whole with HTTP 400 and the reason in the body.
      acceptStatus: (status) => status === 400,
    });
    const body = envelope(res.data, program, res.status, !(o.idempotent ?? false));
    const error = refusal(program, transaction, body);
    if (error) throw error;
    if (res.status === 400) {
      throw new ConnectorError('m3_bad_request', `CloudSuite M3 answered ${program}/${transaction} with HTTP 400 and no reason Ferry can read.`, { system: 'CloudSuite', retryable: false, status: 400 });
    }
    return body.results?.[0]?.records ?? [];
  }

  private matrix(r: { maxrecs?: number; returncols?: readonly string[] }): string {
    const parts = [`maxrecs=${r.maxrecs ?? MI_DEFAULT_MAXRECS}`, `cono=${this.cfg.company}`];
    if (this.cfg.division) parts.push(`divi=${encodeURIComponent(this.cfg.division)}`);
    if (r.returncols && r.returncols.length > 0) parts.push(`returncols=${r.returncols.join(',')}`);
    return `;${parts.join(';')}`;
  }

  /**
   * The query: the inputs given, blanks left out (M3 reads an absent field and an empty one alike), plus the
   * company and division wherever the transaction takes them as inputs (GLS840MI requires CONO).
   */
  private params(program: string, transaction: string, input: Record<string, unknown>): Record<string, string> {
    const inputs = miTransactionContract(program, transaction)?.inputs ?? {};
    const out: Record<string, string> = {};
    if ('CONO' in inputs) out.CONO = String(this.cfg.company);
    if ('DIVI' in inputs && this.cfg.division) out.DIVI = this.cfg.division;
    for (const [k, v] of Object.entries(input)) if (v !== null && v !== undefined && String(v) !== '') out[k] = String(v);
    return out;
  }
}

/**
 * The refusal in an answer, if any: the first result's error, or the request's own when M3 stopped it. Records
 * that came with an error are incomplete (endpoint.partial), so they are never returned.
 */
function refusal(program: string, transaction: string, body: Envelope): M3Error | null {
  const first = body.results?.[0];
  if (first?.errorMessage) return new M3Error(program, transaction, first.errorMessage, first.errorField ?? null, first.errorCode ?? null, first.errorType ?? null);
  const message = body.errorMessage ?? body.terminationReason;
  if (message) return new M3Error(program, transaction, message, body.errorField ?? null, body.errorCode ?? null, body.errorType ?? body.terminationErrorType ?? null);
  if (body.wasTerminated || (body.nrOfFailedTransactions ?? 0) > 0) return new M3Error(program, transaction, 'the transaction failed (no message)', null, null, null);
  return null;
}

function envelope(data: unknown, program: string, status: number, write: boolean): Envelope {
  const body = envelopeSchema.safeParse(data);
  if (body.success && (status === 400 || body.data.results !== undefined)) return body.data;
  const field = body.success ? 'results' : firstField(body.error);
  // An answer cut short reads as garbage: for a write that means it may or may not have been done.
  if (write && status !== 400) {
    throw new ConnectorError('write_uncertain', `CloudSuite M3's answer to ${program} could not be read, so Ferry cannot tell whether it was done; the next step checks M3 first.`, {
      system: 'CloudSuite',
      retryable: true,
      detail: { program, field },
    });
  }
  // Retryable: a proxy's page or a half-written answer is the usual cause, and it passes.
  throw new ConnectorError('m3_bad_response', `CloudSuite M3 answered a ${program} request with something Ferry cannot read ("${field}" is missing or not valid).`, {
    system: 'CloudSuite',
    retryable: status !== 400,
    detail: { program, field },
  });
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
