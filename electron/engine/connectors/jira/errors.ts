import { z } from 'zod';
import type { Capture } from '../../http/capture';
import { ConnectorError } from '../../http/errors';

// Jira's error body everywhere in REST v3: { errorMessages: [...], errors: { field: message } }. A refusal
// of the request itself (400, 403, 404, 409, 422) needs a person, not a retry.

export const errorCollection = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

export class JiraError extends ConnectorError {
  constructor(
    code: string,
    message: string,
    readonly errorMessages: string[],
    /** By field id: { summary: 'You must specify a summary of the issue.' }. */
    readonly fieldErrors: Record<string, string>,
    status: number | null,
    capture: Capture | null,
  ) {
    super(code, message, { system: 'Jira', retryable: false, status, capture, detail: { errorMessages, fieldErrors } });
    this.name = 'JiraError';
  }
}

/** "summary: You must specify a summary…; customfield_10050: …" — Jira's own words, each field named. */
export function jiraReasons(errorMessages: string[], fieldErrors: Record<string, string>): string {
  const parts = [...Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`), ...errorMessages];
  return parts.length ? parts.join('; ') : 'no reason given';
}

const end = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

export function jiraRefusal(status: number, what: string, body: unknown, capture: Capture | null, forbidden?: string): JiraError {
  const parsed = errorCollection.safeParse(body);
  const messages = parsed.success ? (parsed.data.errorMessages ?? []) : [];
  const fields = parsed.success ? (parsed.data.errors ?? {}) : {};
  const reasons = jiraReasons(messages, fields);
  if (status === 403) {
    const sentence = forbidden ?? `Jira refused access for ${what} (HTTP 403): the account Ferry uses lacks a permission; ask your Jira administrator.`;
    return new JiraError('jira_forbidden', `${sentence} Jira said: ${end(reasons)}`, messages, fields, status, capture);
  }
  if (status === 404) return new JiraError('jira_not_found', `Jira found nothing for ${what}: ${end(reasons)}`, messages, fields, status, capture);
  if (status === 409) return new JiraError('jira_conflict', `Jira could not do ${what} because of a conflicting change: ${end(reasons)}`, messages, fields, status, capture);
  return new JiraError('jira_rejected', `Jira refused ${what}: ${end(reasons)}`, messages, fields, status, capture);
}
