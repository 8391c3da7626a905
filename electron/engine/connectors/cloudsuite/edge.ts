import type { z } from 'zod';
import { ConnectorError } from '../../http/errors';

// Validation at the edge for CloudSuite answers: records are loose objects (CloudSuite adds fields across
// releases and a new one must not break a sync), but a field Ferry relies on that is missing or of the wrong
// kind stops the read with a sentence naming that field, instead of a record mapped from half its data.

/**
 * Parses every record with `schema`; the first one that does not fit throws a ConnectorError naming the
 * field. Not retryable: the same request gets the same answer until someone looks at it.
 */
export function readRecords<S extends z.ZodType>(schema: S, records: readonly unknown[], where: string, system = 'CloudSuite'): z.output<S>[] {
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(record)';
    const top = issue?.path[0];
    const missing = top !== undefined && (record as Record<PropertyKey, unknown> | null)?.[top] === undefined;
    throw new ConnectorError(
      'bad_response',
      `${system} answered ${where} with a record Ferry cannot use: ${missing ? `"${field}" is missing` : `"${field}" is not valid (${issue?.message ?? 'unexpected value'})`} (record ${i + 1}).`,
      { system, retryable: false, detail: { where, field, record: i } },
    );
  });
}

/** The name of the first field a zod error points at, for messages about a whole response envelope. */
export function firstField(error: z.ZodError): string {
  return error.issues[0]?.path.map(String).join('.') || '(body)';
}
