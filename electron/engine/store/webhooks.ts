import crypto from 'node:crypto';
import { z } from 'zod';
import { webhookCounterNames, type WebhookCounters } from '../../../shared/api';
import type { Db } from './db';
import { seal, unseal } from './seal';
import { getSetting, setSetting } from './settings';

// Jira webhooks Ferry registered (table webhooks), the deliveries it took in (webhook_deliveries: the
// identifiers that make a retried or replayed delivery recognisable) and what became of deliveries
// (webhook_counters). Secrets — an admin webhook's signing secret, the hook token in the delivery URL — are
// sealed, never stored or returned in the clear except to the receiver and the keeper.

export type WebhookKind = 'dynamic' | 'admin';
export type WebhookCounterName = (typeof webhookCounterNames)[number];

export interface StoredWebhook {
  /** Jira's id: a number for dynamic webhooks, the last part of the self link for admin ones. */
  id: string;
  kind: WebhookKind;
  url: string;
  jql: string;
  events: string[];
  hasSecret: boolean;
  /** ISO time; dynamic webhooks only. */
  expiresAt: string | null;
  registeredAt: string;
  refreshedAt: string | null;
  lastError: string | null;
  state: 'active' | 'gone';
}

export interface WebhookInput {
  id: string;
  kind: WebhookKind;
  url: string;
  jql: string;
  events: string[];
  /** Plain text; sealed on the way in. Left out: the stored one is kept. */
  secret?: string | null;
  expiresAt: string | null;
  registeredAt: string;
  refreshedAt?: string | null;
  lastError?: string | null;
}

interface Row {
  id: string;
  kind: WebhookKind;
  url: string;
  jql: string;
  events: string;
  secret: string | null;
  expires_at: string | null;
  registered_at: string;
  refreshed_at: string | null;
  last_error: string | null;
  state: 'active' | 'gone';
}

// The row's identity is the associated data, so a sealed secret copied onto another row does not unlock.
const secretContext = (kind: WebhookKind, id: string): string => `webhooks:${kind}:${id}`;

const toWebhook = (r: Row): StoredWebhook => ({
  id: r.id,
  kind: r.kind,
  url: r.url,
  jql: r.jql,
  events: JSON.parse(r.events) as string[],
  hasSecret: r.secret !== null,
  expiresAt: r.expires_at,
  registeredAt: r.registered_at,
  refreshedAt: r.refreshed_at,
  lastError: r.last_error,
  state: r.state,
});

/** Adds or replaces a registration (active again if it was gone). */
export function saveWebhook(db: Db, sealKey: Buffer, w: WebhookInput): StoredWebhook {
  const sealed = w.secret === undefined ? undefined : w.secret === null ? null : seal(sealKey, w.secret, secretContext(w.kind, w.id));
  db.prepare(
    `INSERT INTO webhooks (id, kind, url, jql, events, secret, expires_at, registered_at, refreshed_at, last_error, state)
     VALUES (@id, @kind, @url, @jql, @events, @secret, @expiresAt, @registeredAt, @refreshedAt, @lastError, 'active')
     ON CONFLICT (kind, id) DO UPDATE SET url = excluded.url, jql = excluded.jql, events = excluded.events,
       secret = CASE WHEN @keepSecret THEN webhooks.secret ELSE excluded.secret END,
       expires_at = excluded.expires_at, registered_at = excluded.registered_at, refreshed_at = excluded.refreshed_at,
       last_error = excluded.last_error, state = 'active'`,
  ).run({
    id: w.id,
    kind: w.kind,
    url: w.url,
    jql: w.jql,
    events: JSON.stringify(w.events),
    secret: sealed ?? null,
    keepSecret: sealed === undefined ? 1 : 0,
    expiresAt: w.expiresAt,
    registeredAt: w.registeredAt,
    refreshedAt: w.refreshedAt ?? null,
    lastError: w.lastError ?? null,
  });
  return getWebhook(db, w.kind, w.id)!;
}

export function getWebhook(db: Db, kind: WebhookKind, id: string): StoredWebhook | null {
  const row = db.prepare('SELECT * FROM webhooks WHERE kind = ? AND id = ?').get(kind, id) as Row | undefined;
  return row ? toWebhook(row) : null;
}

export function listWebhooks(db: Db, opts: { kind?: WebhookKind; state?: 'active' | 'gone' } = {}): StoredWebhook[] {
  const rows = db
    .prepare(`SELECT * FROM webhooks WHERE (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state) ORDER BY registered_at, id`)
    .all({ kind: opts.kind ?? null, state: opts.state ?? null }) as Row[];
  return rows.map(toWebhook);
}

/** The webhook no longer exists in Jira (deleted there, expired, or replaced): kept for the record, not used. */
export function markWebhookGone(db: Db, kind: WebhookKind, id: string, reason: string): void {
  db.prepare(`UPDATE webhooks SET state = 'gone', last_error = ? WHERE kind = ? AND id = ?`).run(reason, kind, id);
}

export function setWebhookError(db: Db, kind: WebhookKind, id: string, error: string | null): void {
  db.prepare('UPDATE webhooks SET last_error = ? WHERE kind = ? AND id = ?').run(error, kind, id);
}

/** The signing secrets of the active admin webhooks: what a signed delivery must match. */
export function activeAdminSecrets(db: Db, sealKey: Buffer): string[] {
  const rows = db.prepare(`SELECT id, secret FROM webhooks WHERE kind = 'admin' AND state = 'active' AND secret IS NOT NULL`).all() as { id: string; secret: string }[];
  return rows.map((r) => unseal(sealKey, r.secret, secretContext('admin', r.id)));
}

export function activeWebhookCount(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM webhooks WHERE state = 'active'`).get() as { n: number }).n;
}

// ── The hook token ─────────────────────────────────────────────────────────────────────────────────────────
// Dynamic webhook deliveries are not signed: the unguessable last part of the delivery URL is what shows a
// delivery came from the Jira Ferry registered with. One per profile, generated once, kept sealed.

const HOOK_TOKEN_SETTING = 'jira.webhooks.hookToken';
const HOOK_TOKEN_CONTEXT = `settings:${HOOK_TOKEN_SETTING}`;

/** The profile's hook token; created on first use unless `create` is false (then null when there is none). */
export function hookToken(db: Db, sealKey: Buffer, opts: { create?: boolean } = {}): string | null {
  const sealed = getSetting(db, HOOK_TOKEN_SETTING, z.string(), '');
  if (sealed) return unseal(sealKey, sealed, HOOK_TOKEN_CONTEXT);
  if (opts.create === false) return null;
  const token = crypto.randomBytes(32).toString('base64url');
  setSetting(db, HOOK_TOKEN_SETTING, z.string(), seal(sealKey, token, HOOK_TOKEN_CONTEXT));
  return token;
}

// ── Settings ───────────────────────────────────────────────────────────────────────────────────────────────

export const JIRA_WEBHOOK_SETTING = 'jira.webhooks';
export const JiraWebhookSettings = z.object({
  /** The address Jira can reach Ferry's receiver at (http://ferry-host:8799); null: Ferry polls only. */
  receiverUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** With an API token or PAT: register an admin webhook (needs a Jira administrator). */
  admin: z.boolean().default(true),
  /** Refresh a dynamic webhook this many days before it expires (Jira lets them live 30 days). */
  refreshAheadDays: z.number().int().min(1).max(29).default(7),
});
export type JiraWebhookSettings = z.infer<typeof JiraWebhookSettings>;
export const defaultWebhookSettings = (): JiraWebhookSettings => JiraWebhookSettings.parse({});

export function webhookSettings(db: Db): JiraWebhookSettings {
  return getSetting(db, JIRA_WEBHOOK_SETTING, JiraWebhookSettings, defaultWebhookSettings());
}

export function setWebhookSettings(db: Db, change: Partial<JiraWebhookSettings>): JiraWebhookSettings {
  const receiverUrl = change.receiverUrl === undefined ? undefined : change.receiverUrl === null ? null : change.receiverUrl.replace(/\/+$/, '');
  const next = { ...webhookSettings(db), ...change, ...(receiverUrl === undefined ? {} : { receiverUrl }) };
  return setSetting(db, JIRA_WEBHOOK_SETTING, JiraWebhookSettings, next);
}

/** What the last keeper run concluded, for `ferry webhooks status` (which does not ask Jira). */
const LAST_SETTING = 'jira.webhooks.last';
const LastOutcome = z.object({ mode: z.enum(['dynamic', 'admin', 'polling']), message: z.string(), at: z.string() });
export type LastWebhookOutcome = z.infer<typeof LastOutcome>;

export function saveLastWebhookOutcome(db: Db, outcome: LastWebhookOutcome): void {
  setSetting(db, LAST_SETTING, LastOutcome, outcome);
}

export function lastWebhookOutcome(db: Db): LastWebhookOutcome | null {
  return getSetting(db, LAST_SETTING, LastOutcome.nullable(), null);
}

// ── Deliveries and counters ────────────────────────────────────────────────────────────────────────────────

/** Delivery ids are remembered this long: Jira retries for hours, not weeks. */
const KEEP_DELIVERIES_MS = 30 * 86_400_000;

export interface DeliveryInput {
  deliveryId: string;
  event: string | null;
  issueKey: string | null;
  worklogId: string | null;
}

/**
 * Records a delivery by its id (X-Atlassian-Webhook-Identifier, the same on every retry); true when it is
 * new, false when Ferry took it in before. Counts it as accepted or duplicate in the same transaction.
 */
export function recordDelivery(db: Db, d: DeliveryInput, now = new Date()): boolean {
  return db.transaction(() => {
    const fresh =
      db
        .prepare('INSERT OR IGNORE INTO webhook_deliveries (delivery_id, received_at, event, issue_key, worklog_id) VALUES (?, ?, ?, ?, ?)')
        .run(d.deliveryId, now.toISOString(), d.event, d.issueKey, d.worklogId).changes === 1;
    bumpCounter(db, fresh ? 'accepted' : 'duplicate');
    return fresh;
  })();
}

/** Forgets delivery ids older than the retention; returns how many went. */
export function pruneDeliveries(db: Db, now = new Date()): number {
  return db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').run(new Date(now.getTime() - KEEP_DELIVERIES_MS).toISOString()).changes;
}

export function bumpCounter(db: Db, name: WebhookCounterName): void {
  db.prepare('INSERT INTO webhook_counters (name, count) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET count = count + 1').run(name);
}

export function readCounters(db: Db): WebhookCounters {
  const counters: WebhookCounters = { accepted: 0, duplicate: 0, bad_signature: 0, unknown_hook: 0, malformed: 0 };
  for (const r of db.prepare('SELECT name, count FROM webhook_counters').all() as { name: string; count: number }[]) {
    if ((webhookCounterNames as readonly string[]).includes(r.name)) counters[r.name as WebhookCounterName] = r.count;
  }
  return counters;
}
