import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

// Jira's error body everywhere in REST v3: { errorMessages: [...], errors: { field: message } }.

export interface ErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

export function errorCollection(messages: string[], errors: Record<string, string> = {}): ErrorCollection {
  return { errorMessages: messages, errors };
}

export function sendError(reply: FastifyReply, status: number, messages: string | string[], errors: Record<string, string> = {}): FastifyReply {
  return reply.code(status).send(errorCollection(Array.isArray(messages) ? messages : [messages], errors));
}

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/**
 * A zod failure as Jira words a request it cannot read: Jira's JSON reader (Jackson) names the first
 * property it chokes on.
 */
export function bodyError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request payload. Refer to the REST API documentation and try again.';
  if (issue.code === 'unrecognized_keys') return `Unrecognized field "${issue.keys[0] ?? ''}"`;
  const where = issue.path.length ? ` at "${issue.path.join('.')}"` : '';
  return `Invalid request payload${where}: ${issue.message}. Refer to the REST API documentation and try again.`;
}
