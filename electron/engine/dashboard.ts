import type { Dashboard, FlowName } from '../../shared/api';
import { flowNames } from '../../shared/api';
import { countOpenFailures } from './store/failures';
import { connectionConfig } from './store/connections';
import type { Profile } from './store/profile';
import { lastRun } from './store/runs';
import { listSchedules } from './sync/schedule';
import { webhookStatus } from './sync/webhook-keeper';
import { flowNotReady } from './flows/registry';

// What the Dashboard shows at a glance, read from the store only (no request to any system): per flow the
// last and next run, its counts and the failures waiting; 30 days of records moved and failed; webhook health;
// and the banners a person must not miss (a connection that failed its last run, a sign-in that was refused).

const DAY_MS = 86_400_000;

/** Error codes of a run that mean "the connection itself is in trouble", not one record. */
const CONNECTION_CODES = /could not reach|sign[- ]in|token|refused the credentials|not set up|connection/i;

/**
 * `now` places Ferry's own runs on the 30-day chart (they carry the wall clock); `businessNow` is the engine's
 * clock, which a Jira webhook's expiry is measured against.
 */
export function dashboard(profile: Profile, now = new Date(), businessNow = now.getTime()): Dashboard {
  const db = profile.db;
  const schedules = new Map(listSchedules(db).map((s) => [s.flow, s]));
  const flows = flowNames.map((flow: FlowName) => {
    const run = lastRun(db, flow);
    const s = schedules.get(flow);
    return {
      flow,
      lastRun: run,
      nextRunAt: s && s.scheduled && !s.paused ? s.nextRunAt : null,
      schedule: s?.scheduled ? `${s.description}${s.paused ? ' (paused)' : ''}` : 'not scheduled',
      failuresWaiting: countOpenFailures(db, flow),
      notReady: flowNotReady(profile, flow),
    };
  });

  const since = new Date(now.getTime() - 29 * DAY_MS);
  since.setUTCHours(0, 0, 0, 0);
  const rows = db
    .prepare(`SELECT substr(started_at, 1, 10) AS day, counts FROM runs WHERE started_at >= ? AND dry_run = 0`)
    .all(since.toISOString()) as { day: string; counts: string }[];
  const byDay = new Map<string, { moved: number; failed: number }>();
  for (let i = 0; i < 30; i++) byDay.set(new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10), { moved: 0, failed: 0 });
  for (const r of rows) {
    const c = JSON.parse(r.counts) as { created: number; updated: number; failed: number };
    const d = byDay.get(r.day);
    if (d) {
      d.moved += c.created + c.updated;
      d.failed += c.failed;
    }
  }

  const cloudsuite = connectionConfig(db, 'cloudsuite')?.config as { rateLimitPerMinute?: number | null } | undefined;
  const banners: Dashboard['banners'] = [];
  for (const f of flows) {
    const r = f.lastRun;
    if (r?.outcome === 'failed' && r.error && CONNECTION_CODES.test(r.error)) {
      banners.push({ level: 'error', flow: f.flow, message: `${f.flow} could not run: ${r.error}` });
    }
  }
  const webhooks = webhookStatus(db, businessNow);
  for (const w of webhooks.webhooks) {
    if (w.state === 'active' && w.daysLeft !== null && w.daysLeft <= 2) {
      banners.push({ level: 'warning', flow: 'jira-webhooks', message: `A Jira webhook expires in ${w.daysLeft} day(s) and Ferry could not refresh it yet: ${w.lastError ?? 'it will try at the next run'}.` });
    }
  }
  return {
    flows,
    days: [...byDay].map(([day, v]) => ({ day, ...v })),
    webhooks: { mode: webhooks.mode, message: webhooks.message, active: webhooks.webhooks.filter((w) => w.state === 'active').length },
    cloudSuiteBudgetPerMinute: cloudsuite?.rateLimitPerMinute ?? null,
    banners,
  };
}
