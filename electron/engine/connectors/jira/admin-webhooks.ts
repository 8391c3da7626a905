import { z } from 'zod';
import { adminWebhook, nothing } from './schemas';
import type { JiraTransport } from './transport';
import type { AdminWebhook, AdminWebhookSpec } from './types';

// Admin webhooks (REST webhooks 1.0): registered with a Jira administrator's API token or PAT, they never
// expire and, unlike dynamic ones, carry worklog events. With a secret, Jira signs each delivery
// (X-Hub-Signature, see signature.ts). Not in the v3 OpenAPI description; shapes follow Atlassian's docs.

const PATH = '/rest/webhooks/1.0/webhook';
const FILTER = 'issue-related-events-section';
const FORBIDDEN = "Admin webhooks need a Jira administrator's API token or personal access token; an OAuth 2.0 app or an account without admin rights cannot create them.";

function toAdminWebhook(w: z.infer<typeof adminWebhook>): AdminWebhook {
  // The id is only in the `self` link: …/rest/webhooks/1.0/webhook/{id}.
  const id = decodeURIComponent(w.self.replace(/\/+$/, '').split('/').pop() ?? '');
  return { id, name: w.name, url: w.url, events: w.events, jql: w.filters?.[FILTER] ?? '', enabled: w.enabled ?? true };
}

export class JiraAdminWebhooks {
  constructor(private readonly t: JiraTransport) {}

  async create(spec: AdminWebhookSpec): Promise<AdminWebhook> {
    const body: Record<string, unknown> = { name: spec.name, url: spec.url, events: spec.events, filters: { [FILTER]: spec.jql ?? '' }, excludeBody: spec.excludeBody ?? false };
    if (spec.secret) body.secret = spec.secret;
    const created = await this.t.call({
      method: 'POST',
      path: PATH,
      body,
      schema: adminWebhook,
      what: `creating the webhook "${spec.name}"`,
      forbidden: FORBIDDEN,
      // A second one would deliver every event twice: repeat only when none with this name and URL exists.
      verifyNotApplied: async () => !(await this.list()).some((w) => w.name === spec.name && w.url === spec.url),
    });
    return toAdminWebhook(created);
  }

  async list(): Promise<AdminWebhook[]> {
    const all = await this.t.call({ method: 'GET', path: PATH, schema: z.array(adminWebhook), what: 'listing admin webhooks', forbidden: FORBIDDEN });
    return all.map(toAdminWebhook);
  }

  async delete(id: string): Promise<void> {
    await this.t.call({ method: 'DELETE', path: `${PATH}/${encodeURIComponent(id)}`, schema: nothing, what: `removing webhook ${id}`, forbidden: FORBIDDEN });
  }
}
