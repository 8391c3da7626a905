import type { z } from 'zod';
import type { Capture } from '../../http/client';
import { ConnectorError } from '../../http/errors';

/**
 * J1P answers business errors as HTTP 200 with `returnCode` ≠ 0 (a duplicate extCode, an unknown bravoId, a
 * bad filter). Sending the same request again gives the same answer, so it is never retryable.
 */
export class JaggaerError extends ConnectorError {
  constructor(
    readonly returnCode: number,
    readonly returnMessage: string,
    what: string,
    capture: Capture | null = null,
  ) {
    super('jaggaer_error', `JAGGAER refused ${what}: ${returnMessage || 'no reason given'} (return code ${returnCode}).`, {
      system: 'JAGGAER',
      retryable: false,
      capture,
      detail: { returnCode, returnMessage },
    });
    this.name = 'JaggaerError';
  }
}

/** `a.b[2].c`, the way a person would look the field up in the payload. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)), '') || '(the whole answer)';
}

function issueText(issue: z.core.$ZodIssue): string {
  const where = pathText(issue.path);
  // Parsed with reportInput, so an absent field shows as input undefined: say "missing", not a type error.
  if ('input' in issue && issue.input === undefined && issue.code !== 'custom') return `missing ${where}`;
  return `${where}: ${issue.message}`;
}

/**
 * Validates an answer at the edge. Unknown extra fields pass (schemas are loose); a missing or mistyped
 * field becomes an error that names it. An answer that is not even an object (a proxy's HTML page, a
 * cut-off body) may be gone next time; a well-formed answer missing a field needs a person.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, data: unknown, what: string, capture: Capture | null = null): z.output<S> {
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const listed = issues.slice(0, 5).map(issueText).join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more` : '');
  const isObject = typeof data === 'object' && data !== null;
  throw new ConnectorError('jaggaer_bad_response', `JAGGAER's answer to ${what} is not what Ferry expects: ${listed}.`, {
    system: 'JAGGAER',
    retryable: !isObject,
    capture,
    detail: { issues: issues.slice(0, 20).map((i) => ({ path: pathText(i.path), message: i.message })) },
  });
}
