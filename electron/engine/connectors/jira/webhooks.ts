import { FerryError } from '../../../../shared/errors';
import { nothing, refreshedWebhooks, registeredWebhooks, webhookPage } from './schemas';
import type { JiraTransport } from './transport';
import type { DynamicWebhook, DynamicWebhookResult, DynamicWebhookSpec } from './types';

// Dynamic webhooks (/rest/api/3/webhook): only OAuth 2.0 and Connect apps may use them, each needs a JQL
// filter, they carry no worklog events, and they expire 30 days after registration or the last refresh.

const PATH = '/rest/api/3/webhook';
const FORBIDDEN =
  'Jira lets only OAuth 2.0 apps manage dynamic webhooks, and this connection signs in with an API token or personal access token. Connect Jira with OAuth 2.0 in Connections, or use an admin webhook instead.';

const sameEvents = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export class JiraDynamicWebhooks {
  constructor(private readonly t: JiraTransport) {}

  /** Registers webhooks for one URL; each result says its id or why Jira refused that one. */
  async register(url: string, webhooks: DynamicWebhookSpec[]): Promise<DynamicWebhookResult[]> {
    if (webhooks.length === 0) return [];
    const res = await this.t.call({
      method: 'POST',
      path: PATH,
      body: { url, webhooks },
      schema: registeredWebhooks,
      what: 'registering webhooks',
      forbidden: FORBIDDEN,
      // Registering twice would deliver every event twice: repeat only when none of them is there yet.
      verifyNotApplied: async () => {
        const live = await this.list();
        return !webhooks.some((w) => live.some((l) => l.url === url && l.jqlFilter === w.jqlFilter && sameEvents(l.events, w.events)));
      },
    });
    return res.webhookRegistrationResult.map((r): DynamicWebhookResult => (r.createdWebhookId !== undefined ? { ok: true, id: r.createdWebhookId } : { ok: false, errors: r.errors ?? [] }));
  }

  /** This app's live webhooks, every page. */
  async list(): Promise<DynamicWebhook[]> {
    const out: DynamicWebhook[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.t.call({ method: 'GET', path: PATH, params: { startAt: String(startAt), maxResults: '100' }, schema: webhookPage, what: 'listing webhooks', forbidden: FORBIDDEN });
      out.push(...page.values.map((v) => ({ id: v.id, url: v.url ?? null, events: v.events, jqlFilter: v.jqlFilter, expirationDate: v.expirationDate ?? null })));
      startAt += page.values.length;
      if (page.values.length === 0 || page.isLast !== false) return out;
    }
  }

  /** Extends the life of the webhooks by 30 days; returns the new expiry (epoch ms). */
  async refresh(ids: number[]): Promise<number> {
    if (ids.length === 0) throw new FerryError('invalid_input', 'There are no webhooks to refresh.');
    const res = await this.t.call({ method: 'PUT', path: `${PATH}/refresh`, body: { webhookIds: ids }, schema: refreshedWebhooks, what: 'refreshing webhooks', forbidden: FORBIDDEN });
    return res.expirationDate;
  }

  async delete(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.t.call({ method: 'DELETE', path: PATH, body: { webhookIds: ids }, schema: nothing, what: 'removing webhooks', forbidden: FORBIDDEN });
  }
}
