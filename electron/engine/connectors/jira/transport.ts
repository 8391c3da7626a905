import type { z } from 'zod';
import type { JiraAccess } from '../../auth/jira';
import type { Http, SendRequest } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { jiraRefusal } from './errors';

// Every Jira call goes through here: the base URL of the sign-in kind, the Authorization header, Jira's
// refusals as JiraError, and the answer checked with zod at the edge — unknown extra fields pass, a missing
// or mistyped one is named.

export interface JiraCall<T> {
  method: SendRequest['method'];
  /** /rest/api/3/…, with path parameters already encoded. */
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** The person's words: "creating an issue in ABC". */
  what: string;
  idempotent?: boolean;
  verifyNotApplied?: () => Promise<boolean>;
  /** The sentence for a 403, when the usual "lacks a permission" would mislead. */
  forbidden?: string;
}

const REFUSALS = new Set([400, 403, 404, 409, 422]);

export class JiraTransport {
  constructor(
    private readonly http: Http,
    readonly access: JiraAccess,
  ) {}

  async call<T>(c: JiraCall<T>): Promise<T> {
    // Without nullOn404 a 404 throws, so send never answers null here.
    return (await this.send(c, false)) as T;
  }

  /** Like call, but a 404 (no such issue, no such property) is an answer: null. */
  async callOrNull<T>(c: JiraCall<T>): Promise<T | null> {
    return this.send(c, true);
  }

  private async send<T>(c: JiraCall<T>, nullOn404: boolean): Promise<T | null> {
    const base = await this.access.baseUrl();
    const hasBody = c.body !== undefined;
    const res = await this.http.send<unknown>({
      method: c.method,
      url: base + c.path,
      params: c.params,
      // Serialised here: axios would send a bare string value (a property holding "x") as text, not JSON.
      data: hasBody ? JSON.stringify(c.body) : undefined,
      headers: hasBody ? { 'Content-Type': 'application/json' } : undefined,
      auth: this.access.auth,
      idempotent: c.idempotent,
      verifyNotApplied: c.verifyNotApplied,
      acceptStatus: (s) => REFUSALS.has(s),
      what: c.what,
    });
    if (res.status === 404 && nullOn404) return null;
    if (REFUSALS.has(res.status)) throw jiraRefusal(res.status, c.what, res.data, res.capture, c.forbidden);
    const parsed = c.schema.safeParse(res.data);
    if (parsed.success) return parsed.data;
    // Text where JSON was due is a cut-off or foreign answer (a proxy page): worth another try. JSON of the
    // wrong shape will not change by asking again.
    const readable = typeof res.data !== 'string';
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'the answer';
    const problem = !readable ? 'is not JSON' : first?.code === 'invalid_type' && first.message.includes('undefined') ? `lacks ${where}` : `has an unexpected ${where} (${first?.message ?? 'invalid'})`;
    throw new ConnectorError('jira_bad_response', `Jira's answer to ${c.what} ${problem}, so Ferry cannot use it.`, {
      system: 'Jira',
      retryable: !readable,
      status: res.status,
      capture: res.capture,
      detail: { issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
}
