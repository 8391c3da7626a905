import { z } from 'zod';

// The parts of Jira's answers Ferry relies on (names from the v3 OpenAPI description). z.object drops
// fields it does not list, so Jira adding fields never breaks Ferry; a listed field missing is an error.

const id = z.union([z.string().min(1), z.number().int()]).transform(String);

export const createdIssue = z.object({ id, key: z.string().min(1) });

export const issueBean = z.object({ id, key: z.string().min(1), fields: z.record(z.string(), z.unknown()).optional() });

export const searchPage = z.object({
  issues: z.array(issueBean),
  nextPageToken: z.string().min(1).nullable().optional(),
  isLast: z.boolean().optional(),
});

export const entityProperty = z.object({ key: z.string(), value: z.unknown() });

export const worklog = z.object({
  id,
  issueId: id,
  author: z.object({ accountId: z.string().min(1), displayName: z.string().optional() }),
  started: z.string().min(1),
  timeSpentSeconds: z.number().int().nonnegative(),
  created: z.string().optional(),
  updated: z.string().min(1),
  comment: z.unknown().optional(),
});

export const worklogList = z.array(worklog);

export const pageOfWorklogs = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int(),
  worklogs: z.array(worklog),
});

export const changedWorklogs = z.object({
  values: z.array(z.object({ worklogId: id, updatedTime: z.number().int() })),
  since: z.number().int(),
  until: z.number().int(),
  nextPage: z.string().optional(),
  lastPage: z.boolean(),
});

export const registeredWebhooks = z.object({
  webhookRegistrationResult: z.array(z.object({ createdWebhookId: z.number().int().optional(), errors: z.array(z.string()).optional() })),
});

/** Documented as epoch ms; some sites answer a date string (ISO or numeric). */
export const expirationDate = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v);
  if (Number.isFinite(ms)) return ms;
  ctx.addIssue({ code: 'custom', message: `not a date: ${String(v)}` });
  return z.NEVER;
});

export const webhookPage = z.object({
  values: z.array(
    z.object({
      id: z.number().int(),
      url: z.string().optional(),
      events: z.array(z.string()),
      jqlFilter: z.string(),
      expirationDate: expirationDate.optional(),
    }),
  ),
  isLast: z.boolean().optional(),
  startAt: z.number().int().optional(),
  total: z.number().int().optional(),
});

export const refreshedWebhooks = z.object({ expirationDate });

export const adminWebhook = z.object({
  self: z.string().min(1),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  filters: z.record(z.string(), z.string().nullable()).optional(),
  enabled: z.boolean().optional(),
});

export const nothing = z.unknown();

export const transitionList = z.object({
  transitions: z.array(z.object({ id: z.string(), name: z.string(), to: z.object({ id: z.string().optional(), name: z.string() }).optional() })),
});
