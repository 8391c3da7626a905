import crypto from 'node:crypto';
import type { DeliveryRecord, JiraEventName } from './model';
import type { JiraStore } from './store';

// Webhook deliveries: POST the event JSON to the registered URL after the API call has answered, sign it
// when the webhook has a secret (X-Hub-Signature: sha256=<hex HMAC of the raw body>), keep
// X-Atlassian-Webhook-Identifier the same on every retry, and retry as Jira Cloud does — on a connection
// failure, a timeout, or 408/409/425/429/5xx — with exponential backoff (base configurable, so tests are
// fast). Only loopback URLs are ever contacted: the sandbox must never send traffic off the machine, so the
// URL is checked at registration and again before every attempt, and redirects are not followed.

const KEEP_RECORDS = 500;
const RETRYABLE = new Set([408, 409, 425, 429]);

export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // WHATWG URL normalises 127.1, 0x7f.0.0.1 and friends to dotted decimal, and lower-cases names.
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function hubSignature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface Delivery {
  webhook: DeliveryRecord['webhook'];
  webhookIds: number[];
  url: string;
  event: JiraEventName;
  issueKey: string | null;
  /** The raw body; '' for an admin webhook with excludeBody. */
  body: string;
  secret: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Deliveries {
  private pending = new Set<Promise<void>>();

  constructor(private readonly store: JiraStore) {}

  /** Records the delivery and starts it in the background; the caller's HTTP response does not wait. */
  enqueue(d: Delivery): DeliveryRecord {
    const record: DeliveryRecord = {
      id: crypto.randomUUID(),
      webhook: d.webhook,
      webhookIds: d.webhookIds,
      url: d.url,
      event: d.event,
      issueKey: d.issueKey,
      createdAt: this.store.now(),
      attempts: [],
      outcome: 'pending',
    };
    const log = this.store.state.deliveries;
    log.push(record);
    if (log.length > KEEP_RECORDS) log.splice(0, log.length - KEEP_RECORDS);
    this.store.changed();
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(record, d));
    const tracked = run.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return record;
  }

  /** Resolves when every delivery started so far (and any they lead to) has finished, retries included. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async run(record: DeliveryRecord, d: Delivery): Promise<void> {
    const { retries, backoffMs, timeoutMs } = this.store.state.settings.delivery;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
      if (!isLoopbackUrl(d.url)) {
        this.finish(record, { at: this.store.now(), status: null, error: 'refused: not a loopback URL' }, 'failed');
        return;
      }
      const headers: Record<string, string> = {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Atlassian Webhook HTTP Client',
        'X-Atlassian-Webhook-Identifier': record.id,
      };
      if (attempt > 0) headers['X-Atlassian-Webhook-Retry'] = String(attempt);
      if (d.secret) headers['X-Hub-Signature'] = hubSignature(d.secret, d.body);
      let status: number | null = null;
      let error: string | undefined;
      try {
        const res = await fetch(d.url, { method: 'POST', headers, body: d.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      }
      const at = this.store.now();
      if (status !== null && status >= 200 && status < 300) return this.finish(record, { at, status }, 'delivered');
      const retryable = status === null || status >= 500 || RETRYABLE.has(status);
      if (!retryable || attempt === retries) return this.finish(record, { at, status, ...(error ? { error } : {}) }, 'failed');
      record.attempts.push({ at, status, ...(error ? { error } : {}) });
      this.store.changed();
    }
  }

  private finish(record: DeliveryRecord, attempt: DeliveryRecord['attempts'][number], outcome: DeliveryRecord['outcome']): void {
    record.attempts.push(attempt);
    record.outcome = outcome;
    this.store.changed();
  }
}
