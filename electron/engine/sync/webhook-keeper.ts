import crypto from 'node:crypto';
import { z } from 'zod';
import type { AuditEvent, WebhookReport, WebhookView } from '../../../shared/api';
import { FerryError, toErrorInfo } from '../../../shared/errors';
import type { AdminWebhook, AdminWebhookEvent, DynamicWebhook, DynamicWebhookEvent, JiraClient } from '../connectors/jira/index';
import { jqlString } from '../connectors/jira/jql';
import { HOOK_PATH, maskHookUrl } from '../connectors/jira/receiver';
import { ConnectorError } from '../http/errors';
import type { Logger } from '../log';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/db';
import {
  getWebhook,
  hookToken,
  lastWebhookOutcome,
  listWebhooks,
  markWebhookGone,
  readCounters,
  saveLastWebhookOutcome,
  saveWebhook,
  setWebhookError,
  webhookSettings,
  type JiraWebhookSettings,
  type StoredWebhook,
  type WebhookKind,
} from '../store/webhooks';
import { scheduleView } from './schedule';

// Keeps Ferry's Jira webhook alive (flow jira-webhooks). An OAuth 2.0 connection gets a dynamic webhook,
// which Jira deletes 30 days after registration or the last refresh, so it is refreshed ahead of time and
// registered again when Jira no longer has it. An API-token or PAT connection of a Jira administrator gets an
// admin webhook, which never expires but signs its deliveries with a secret only Ferry and Jira know. Where
// neither is possible — no address Jira can reach, no admin rights — Ferry polls, and says so. Polling runs
// either way and stays the source of truth: a webhook only makes changes show up sooner.

const FLOW = 'jira-webhooks';
const DAY = 86_400_000;
const LIFETIME_MS = 30 * DAY;
export const DYNAMIC_EVENTS: DynamicWebhookEvent[] = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'];
export const ADMIN_EVENTS: AdminWebhookEvent[] = [...DYNAMIC_EVENTS, 'worklog_created', 'worklog_updated', 'worklog_deleted'];
/** Jira's answers to a refresh that mean the webhook (or Ferry's right to it) is gone: register it again. */
const REFUSED_REFRESH = new Set([401, 403, 404]);

export interface KeepWebhooksOptions {
  db: Db;
  sealKey: Buffer;
  client: JiraClient;
  settings?: JiraWebhookSettings;
  now: () => number;
  log: Logger;
  /** Names the admin webhook "Ferry (<profile>)". */
  profile?: string;
  /** The run the audit events belong to (null outside a run). */
  runId?: string | null;
  /** Preview: Jira is read, nothing is written anywhere but the audit trail. */
  dryRun?: boolean;
}

/** Something that kept a webhook from being registered or refreshed; Ferry polls meanwhile. */
export interface WebhookProblem {
  kind: WebhookKind;
  code: string;
  message: string;
  retryable: boolean;
}

export interface KeeperResult extends WebhookReport {
  /** What this run did: registered (created), refreshed (updated), left as it was (unchanged), removed. */
  changes: { created: number; updated: number; unchanged: number; removed: number };
  problems: WebhookProblem[];
}

interface Wanted {
  kind: WebhookKind;
  url: string;
  jql: string;
  events: string[];
}

const sameEvents = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();
const statusOf = (err: unknown): number | null => (err instanceof ConnectorError ? err.status : null);
const iso = (ms: number): string => new Date(ms).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ── Which projects ─────────────────────────────────────────────────────────────────────────────────────────

const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;
const jiraProjectValue = z.looseObject({ project: z.string().min(1) });

/**
 * The Jira projects Ferry works in: those the jira-project mappings name, else the projects of the issues
 * po-to-jira has linked (FIN-12 → FIN). Read from the tables directly, so a row of another shape is skipped
 * rather than stopping the keeper.
 */
export function watchedJiraProjects(db: Db): string[] {
  const keys = new Set<string>();
  for (const r of db.prepare(`SELECT value FROM mappings WHERE kind = 'jira-project'`).all() as { value: string }[]) {
    try {
      const v = jiraProjectValue.safeParse(JSON.parse(r.value));
      if (v.success && PROJECT_KEY.test(v.data.project)) keys.add(v.data.project.toUpperCase());
    } catch {
      // not JSON: not a mapping this version can read
    }
  }
  if (keys.size === 0) {
    for (const r of db.prepare(`SELECT target_id FROM links WHERE flow = 'po-to-jira'`).all() as { target_id: string }[]) {
      const m = /^([A-Za-z][A-Za-z0-9_]*)-\d+$/.exec(r.target_id);
      if (m) keys.add(m[1]!.toUpperCase());
    }
  }
  return [...keys].sort();
}

/** `project in (FIN, OPS)`: keys are plain words; anything else would be quoted. */
export function projectJql(projects: string[]): string {
  return `project in (${projects.map((p) => (/^[A-Z][A-Z0-9_]*$/.test(p) ? p : jqlString(p))).join(', ')})`;
}

// ── Polling in words ───────────────────────────────────────────────────────────────────────────────────────

/** "Ferry polls Jira every 15 min; changes show up at the next poll." — after the flow that reads Jira. */
export function pollingSentence(db: Db, now = new Date()): string {
  const s = scheduleView(db, 'worklog-to-gl', now);
  if (!s.scheduled) return 'Ferry polls Jira each time worklog-to-gl runs (it has no schedule yet); changes show up at the next poll.';
  if (s.paused) return 'Ferry polls Jira on the schedule of worklog-to-gl, which is paused; changes show up at the next poll once it is resumed.';
  const when = s.description.startsWith('every ') ? s.description : `on the schedule ${s.description}`;
  return `Ferry polls Jira ${when}; changes show up at the next poll.`;
}

// ── The report ─────────────────────────────────────────────────────────────────────────────────────────────

function view(w: StoredWebhook, now: number): WebhookView {
  const expires = w.expiresAt ? Date.parse(w.expiresAt) : null;
  const expired = expires !== null && expires <= now;
  return {
    id: w.id,
    kind: w.kind,
    url: maskHookUrl(w.url),
    jql: w.jql,
    events: w.events,
    expiresAt: w.expiresAt,
    daysLeft: expires === null ? null : Math.max(0, Math.floor((expires - now) / DAY)),
    state: w.state === 'gone' ? 'gone' : expired ? 'expired' : 'active',
    lastError: w.lastError,
  };
}

function liveSentence(w: WebhookView, settings: JiraWebhookSettings): string {
  const projects = w.jql.replace(/^project in \((.*)\)$/, '$1');
  if (w.kind === 'admin') {
    return `Jira sends changes in ${projects} to Ferry as they happen, through a signed admin webhook (issues and worklogs). Ferry polls Jira as well, so nothing is missed while Ferry is not running.`;
  }
  const left = w.daysLeft === null ? '' : ` It expires in ${plural(w.daysLeft, 'day')}; Ferry refreshes it ${plural(settings.refreshAheadDays, 'day')} ahead.`;
  return `Jira sends changes in ${projects} to Ferry as they happen, through a dynamic webhook (issue events; worklogs show up as issue updates).${left} Ferry polls Jira as well, so nothing is missed while Ferry is not running.`;
}

/**
 * What `ferry webhooks status` shows: the stored registrations and delivery counters, without asking Jira.
 * The mode is what the registrations allow now; why Ferry polls comes from the keeper's last run.
 */
export function webhookStatus(db: Db, now = Date.now()): WebhookReport {
  const settings = webhookSettings(db);
  const webhooks = listWebhooks(db, { state: 'active' }).map((w) => view(w, now));
  const live = webhooks.find((w) => w.state === 'active' && w.lastError === null) ?? webhooks.find((w) => w.state === 'active');
  const counters = readCounters(db);
  if (live) return { mode: live.kind, webhooks, counters, message: liveSentence(live, settings) };
  const last = lastWebhookOutcome(db);
  const poll = pollingSentence(db, new Date(now));
  const why = last?.mode === 'polling' ? last.message.replace(/\s*Ferry polls Jira .*$/, '') : 'Ferry has no live webhook in Jira (run "ferry webhooks refresh" to set one up).';
  return { mode: 'polling', webhooks, counters, message: `${why} ${poll}`.trim() };
}

// ── Keeping them alive ─────────────────────────────────────────────────────────────────────────────────────

class Keeper {
  readonly changes = { created: 0, updated: 0, unchanged: 0, removed: 0 };
  readonly problems: WebhookProblem[] = [];
  /** Set when no webhook can deliver: the first half of the polling message. */
  pollReason: string | null = null;

  constructor(
    readonly o: KeepWebhooksOptions,
    readonly settings: JiraWebhookSettings,
  ) {}

  get dryRun(): boolean {
    return this.o.dryRun === true;
  }

  audit(kind: WebhookKind, action: string, outcome: AuditEvent['outcome'], targetKey: string | null, reason: string | null, detail: Record<string, unknown> = {}): void {
    appendAudit(this.o.db, {
      runId: this.o.runId ?? null,
      flow: FLOW,
      recordType: 'webhook',
      sourceSystem: 'ferry',
      sourceKey: `webhook:${kind}`,
      targetSystem: 'jira',
      targetKey,
      action: this.dryRun && outcome === 'ok' && action !== 'unchanged' ? `preview-${action}` : action,
      outcome,
      reason,
      capture: Object.keys(detail).length ? detail : undefined,
    });
  }

  /** A Jira call that failed in a way a person or a later run must deal with. Unexpected errors go on up. */
  problem(kind: WebhookKind, err: unknown, id: string | null, doing: string): void {
    if (!(err instanceof FerryError)) throw err;
    const info = toErrorInfo(err);
    const retryable = err instanceof ConnectorError && err.retryable;
    this.problems.push({ kind, code: info.code, message: info.message, retryable });
    this.o.log.warn({ kind, code: info.code, status: statusOf(err) }, `${doing} failed`);
    this.audit(kind, doing, 'failed', id, info.message);
    if (id && !this.dryRun) setWebhookError(this.o.db, kind, id, info.message);
  }

  gone(w: StoredWebhook, reason: string): void {
    this.audit(w.kind, 'gone', 'ok', w.id, reason, { url: maskHookUrl(w.url) });
    if (!this.dryRun) markWebhookGone(this.o.db, w.kind, w.id, reason);
  }

  /** The delivery address and filter Ferry wants now, or null (and why) when there is nothing to register. */
  wanted(kind: WebhookKind): Wanted | null {
    const { db, sealKey } = this.o;
    if (!this.settings.receiverUrl) {
      this.pollReason = 'No address where Jira can reach Ferry is set (receiver URL), so Jira cannot send changes to Ferry.';
      return null;
    }
    if (kind === 'admin' && !this.settings.admin) {
      this.pollReason = 'Admin webhooks are turned off for this profile.';
      return null;
    }
    const projects = watchedJiraProjects(db);
    if (projects.length === 0) {
      this.pollReason = 'Ferry maps no Jira projects yet (and has linked no Jira issues), so there is nothing for a webhook to watch.';
      return null;
    }
    // A preview must not create the token; a placeholder shows where it goes.
    const token = this.dryRun ? (hookToken(db, sealKey, { create: false }) ?? 'new-token') : hookToken(db, sealKey)!;
    return { kind, url: `${this.settings.receiverUrl.replace(/\/+$/, '')}${HOOK_PATH}${token}`, jql: projectJql(projects), events: kind === 'dynamic' ? DYNAMIC_EVENTS : ADMIN_EVENTS };
  }

  /** Ours: delivers to this profile's hook token, whatever receiver address it was registered with. */
  ours(url: string | null, token: string | null): boolean {
    return !!url && !!token && url.endsWith(`${HOOK_PATH}${token}`);
  }

  // ── dynamic (OAuth 2.0) ──

  async removeDynamic(id: number): Promise<void> {
    if (this.dryRun) return;
    try {
      await this.o.client.webhooks.delete([id]);
    } catch (err) {
      // Left behind it expires by itself within 30 days; its deliveries go to a hook Ferry no longer accepts.
      if (!(err instanceof FerryError)) throw err;
      this.o.log.warn({ id, code: err.code }, 'could not remove a replaced dynamic webhook');
    }
  }

  async keepDynamic(want: Wanted | null): Promise<void> {
    const { db, client, now } = this.o;
    const stored = listWebhooks(db, { kind: 'dynamic', state: 'active' });
    if (!want && stored.length === 0) return;
    let live: DynamicWebhook[];
    try {
      live = await client.webhooks.list();
    } catch (err) {
      this.problem('dynamic', err, stored[0]?.id ?? null, 'list');
      return;
    }
    const token = hookToken(db, this.o.sealKey, { create: false });
    const matches = (l: DynamicWebhook) => !!want && l.url === want.url && l.jqlFilter === want.jql && sameEvents(l.events, want.events);
    let keep: DynamicWebhook | null = null;

    for (const s of stored) {
      const l = live.find((x) => String(x.id) === s.id);
      if (!l) {
        this.gone(s, 'Jira no longer has this webhook (it expired or was deleted there).');
        continue;
      }
      if (!keep && matches(l)) {
        keep = l;
        continue;
      }
      await this.removeDynamic(l.id);
      this.changes.removed++;
      this.gone(s, want ? 'Replaced: the projects or the receiver address changed.' : `Removed: ${this.pollReason ?? 'no longer wanted'}`);
    }
    // One of ours Jira has but Ferry did not record (a run stopped between registering and saving): adopt the
    // one that fits, remove the rest so no event arrives twice.
    for (const l of live) {
      if (stored.some((s) => s.id === String(l.id)) || !this.ours(l.url, token)) continue;
      if (!keep && matches(l)) {
        keep = l;
        this.audit('dynamic', 'adopt', 'ok', String(l.id), 'Jira had this webhook but Ferry had not recorded it.', { url: maskHookUrl(l.url ?? '') });
        if (!this.dryRun) saveWebhook(db, this.o.sealKey, { id: String(l.id), kind: 'dynamic', url: l.url!, jql: l.jqlFilter, events: l.events, expiresAt: l.expirationDate ? iso(l.expirationDate) : null, registeredAt: iso(now()) });
        continue;
      }
      await this.removeDynamic(l.id);
      this.changes.removed++;
      this.audit('dynamic', 'remove', 'ok', String(l.id), 'A webhook of this profile that Ferry does not use any more.', { url: maskHookUrl(l.url ?? '') });
    }
    if (!want) return;

    if (keep) {
      const id = String(keep.id);
      const expiry = keep.expirationDate;
      if (expiry !== null && expiry - now() > this.settings.refreshAheadDays * DAY) {
        this.changes.unchanged++;
        this.audit('dynamic', 'unchanged', 'ok', id, null, { expiresAt: iso(expiry) });
        if (!this.dryRun) {
          const s = getWebhook(db, 'dynamic', id)!;
          saveWebhook(db, this.o.sealKey, { ...s, expiresAt: iso(expiry), lastError: null });
        }
        return;
      }
      if (this.dryRun) {
        this.changes.updated++;
        this.audit('dynamic', 'refresh', 'ok', id, null, { expiresAt: expiry === null ? null : iso(expiry) });
        return;
      }
      try {
        const next = await client.webhooks.refresh([keep.id]);
        const s = getWebhook(db, 'dynamic', id)!;
        saveWebhook(db, this.o.sealKey, { ...s, expiresAt: iso(next), refreshedAt: iso(now()), lastError: null });
        this.changes.updated++;
        this.audit('dynamic', 'refresh', 'ok', id, null, { previousExpiry: expiry === null ? null : iso(expiry), expiresAt: iso(next) });
        return;
      } catch (err) {
        if (!REFUSED_REFRESH.has(statusOf(err) ?? 0)) {
          this.problem('dynamic', err, id, 'refresh');
          return;
        }
        // Jira no longer knows it, or no longer lets Ferry keep it: a new registration takes its place.
        await this.removeDynamic(keep.id);
        this.gone(getWebhook(db, 'dynamic', id)!, `Jira refused to refresh it (HTTP ${statusOf(err)}): registered again.`);
      }
    }
    await this.registerDynamic(want);
  }

  async registerDynamic(want: Wanted): Promise<void> {
    const { db, client, now } = this.o;
    const detail = { url: maskHookUrl(want.url), jql: want.jql, events: want.events };
    if (this.dryRun) {
      this.changes.created++;
      this.audit('dynamic', 'register', 'ok', null, null, detail);
      return;
    }
    let id: number;
    try {
      const [result] = await client.webhooks.register(want.url, [{ events: want.events as DynamicWebhookEvent[], jqlFilter: want.jql }]);
      if (!result?.ok) throw new FerryError('webhook_refused', `Jira refused the webhook: ${result?.errors.join('; ') || 'no reason given'}.`);
      id = result.id;
    } catch (err) {
      this.problem('dynamic', err, null, 'register');
      return;
    }
    // Jira answers a registration with ids only; its list has the expiry.
    let expiry = now() + LIFETIME_MS;
    try {
      expiry = (await client.webhooks.list()).find((l) => l.id === id)?.expirationDate ?? expiry;
    } catch (err) {
      if (!(err instanceof FerryError)) throw err;
    }
    saveWebhook(db, this.o.sealKey, { id: String(id), kind: 'dynamic', url: want.url, jql: want.jql, events: want.events, expiresAt: iso(expiry), registeredAt: iso(now()) });
    this.changes.created++;
    this.audit('dynamic', 'register', 'ok', String(id), null, { ...detail, expiresAt: iso(expiry) });
  }

  // ── admin (API token / PAT of a Jira administrator) ──

  async removeAdmin(id: string): Promise<void> {
    if (this.dryRun) return;
    try {
      await this.o.client.adminWebhooks.delete(id);
    } catch (err) {
      if (!(err instanceof FerryError)) throw err;
      this.o.log.warn({ id, code: err.code }, 'could not remove a replaced admin webhook');
    }
  }

  async keepAdmin(want: Wanted | null): Promise<void> {
    const { db, client, now } = this.o;
    const name = `Ferry (${this.o.profile ?? 'default'})`;
    const stored = listWebhooks(db, { kind: 'admin', state: 'active' });
    if (!want && stored.length === 0) return;
    let live: AdminWebhook[];
    try {
      live = await client.adminWebhooks.list();
    } catch (err) {
      if (statusOf(err) === 403) {
        this.pollReason ??= 'The Jira account Ferry signs in with is not a Jira administrator, so it cannot register an admin webhook (and Jira offers dynamic webhooks only to OAuth 2.0 apps).';
        for (const s of stored) this.gone(s, 'Ferry may no longer manage admin webhooks with this account.');
        return;
      }
      this.problem('admin', err, stored[0]?.id ?? null, 'list');
      return;
    }
    const token = hookToken(db, this.o.sealKey, { create: false });
    const matches = (l: AdminWebhook) => !!want && l.url === want.url && l.jql === want.jql && sameEvents(l.events, want.events);
    let keep: AdminWebhook | null = null;

    for (const s of stored) {
      const l = live.find((x) => x.id === s.id);
      if (!l) {
        this.gone(s, 'Jira no longer has this webhook (it was deleted there).');
        continue;
      }
      if (!keep && s.hasSecret && matches(l)) {
        keep = l;
        continue;
      }
      await this.removeAdmin(l.id);
      this.changes.removed++;
      this.gone(s, want ? 'Replaced: the projects or the receiver address changed.' : `Removed: ${this.pollReason ?? 'no longer wanted'}`);
    }
    // Ours but not recorded (a run stopped between creating and saving): its secret is unknown, so its
    // deliveries could not be checked — remove it and create one Ferry knows the secret of.
    for (const l of live) {
      if (stored.some((s) => s.id === l.id) || (l.name !== name && !this.ours(l.url, token))) continue;
      await this.removeAdmin(l.id);
      this.changes.removed++;
      this.audit('admin', 'remove', 'ok', l.id, 'A webhook of this profile whose secret Ferry does not hold.', { url: maskHookUrl(l.url) });
    }
    if (!want) return;

    if (keep) {
      this.changes.unchanged++;
      this.audit('admin', 'unchanged', 'ok', keep.id, keep.enabled ? null : 'disabled in Jira');
      if (!keep.enabled) {
        this.pollReason = `The webhook "${name}" is disabled in Jira (System → WebHooks); enable it there to receive changes.`;
        if (!this.dryRun) setWebhookError(db, 'admin', keep.id, 'Disabled in Jira.');
      } else if (!this.dryRun) setWebhookError(db, 'admin', keep.id, null);
      return;
    }
    const detail = { name, url: maskHookUrl(want.url), jql: want.jql, events: want.events };
    if (this.dryRun) {
      this.changes.created++;
      this.audit('admin', 'create', 'ok', null, null, detail);
      return;
    }
    const secret = crypto.randomBytes(32).toString('base64url');
    let created: AdminWebhook;
    try {
      created = await client.adminWebhooks.create({ name, url: want.url, events: want.events as AdminWebhookEvent[], jql: want.jql, secret });
    } catch (err) {
      if (statusOf(err) === 403) {
        this.pollReason = 'The Jira account Ferry signs in with is not a Jira administrator, so it cannot register an admin webhook (and Jira offers dynamic webhooks only to OAuth 2.0 apps).';
        this.audit('admin', 'create', 'skipped', null, this.pollReason, detail);
        return;
      }
      this.problem('admin', err, null, 'create');
      return;
    }
    saveWebhook(db, this.o.sealKey, { id: created.id, kind: 'admin', url: want.url, jql: want.jql, events: want.events, secret, expiresAt: null, registeredAt: iso(now()) });
    this.changes.created++;
    this.audit('admin', 'create', 'ok', created.id, null, detail);
  }

  /** Registrations of the kind this connection cannot manage (the sign-in changed): no longer counted on. */
  retire(kind: WebhookKind, why: string): void {
    for (const s of listWebhooks(this.o.db, { kind, state: 'active' })) this.gone(s, why);
  }
}

/** One pass: makes Jira hold exactly the webhook Ferry wants (or none), and reports how Ferry hears of changes. */
export async function keepWebhooksAlive(o: KeepWebhooksOptions): Promise<KeeperResult> {
  const settings = o.settings ?? webhookSettings(o.db);
  const k = new Keeper(o, settings);
  if (o.client.authKind === 'oauth') {
    k.retire('admin', 'Jira is now connected with OAuth 2.0, which cannot manage admin webhooks; remove this one in Jira (System → WebHooks).');
    await k.keepDynamic(k.wanted('dynamic'));
  } else {
    k.retire('dynamic', 'Jira is now connected with an API token or personal access token; this dynamic webhook expires by itself.');
    await k.keepAdmin(k.wanted('admin'));
  }

  const now = o.now();
  const poll = pollingSentence(o.db, new Date(now));
  const webhooks = listWebhooks(o.db, { state: 'active' }).map((w) => view(w, now));
  // A webhook whose refresh failed still delivers until it expires.
  const live = k.pollReason === null ? (webhooks.find((w) => w.state === 'active' && w.lastError === null) ?? webhooks.find((w) => w.state === 'active')) : undefined;
  let mode: WebhookReport['mode'];
  let message: string;
  if (live) {
    mode = live.kind;
    message = liveSentence(live, settings) + (k.problems[0] ? ` This run could not finish: ${k.problems[0].message}` : '');
  } else {
    mode = 'polling';
    const why = k.pollReason ?? (k.problems[0] ? `Ferry could not set up its Jira webhook: ${k.problems[0].message}` : 'Ferry has no live webhook in Jira.');
    message = `${why} ${poll}`;
  }
  if (mode === 'polling') k.audit(o.client.authKind === 'oauth' ? 'dynamic' : 'admin', 'polling', 'skipped', null, message);
  if (!o.dryRun) saveLastWebhookOutcome(o.db, { mode, message, at: iso(now) });
  return { mode, webhooks, counters: readCounters(o.db), message, changes: k.changes, problems: k.problems };
}
