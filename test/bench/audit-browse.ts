// Benchmark, not a test: the Activity screen's queries over a large audit trail. Seeds N events (default
// 1,000,000) into a fresh profile, or reuses one given with --data-dir, then times each query shape the screen
// sends, the record timeline, a download-sized export and the sliced verification: the whole trail, then resumed
// from the point that check reached (as the Activity screen does on each visit), with nothing new and, in a seeded
// profile only, after a day's 1,000 more events. Prints figures; asserts nothing. The temp profile goes at the end.
//   npx tsx test/bench/audit-browse.ts [count] [--data-dir DIR]
import { performance } from 'node:perf_hooks';
import { auditEventDetail, exportAuditFile } from '../../electron/engine/audit-api';
import { profileDir } from '../../electron/engine/paths';
import { appendAudit, browseAudit, planAuditQuery, recordTimeline, setRunAuditHead, type AuditFilters } from '../../electron/engine/store/audit';
import { verifyAuditInSlices } from '../../electron/engine/store/audit-verify';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { openProfile } from '../../electron/engine/store/profile';
import { finishRun, startRun, zeroCounts } from '../../electron/engine/store/runs';
import { seedAuditProfile } from '../helpers/seed-audit';
import { tempDir } from '../helpers/temp';

const args = process.argv.slice(2);
const dirAt = args.indexOf('--data-dir');
const given = dirAt >= 0 ? args[dirAt + 1] : undefined;
const count = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--data-dir') ?? 1_000_000);
const tmp = given ? null : tempDir('ferry-bench-audit-');
const dataDir = given ?? tmp!.dir;

const ms = (t: number) => `${(performance.now() - t).toFixed(1)} ms`;
// Ctrl-C during the minute of seeding would otherwise leave a gigabyte in the temp folder.
process.once('SIGINT', () => {
  tmp?.remove();
  process.exit(130);
});

try {
  if (!given) {
    const seeded = await seedAuditProfile(dataDir, { count });
    console.log(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seeded.runs} runs: ${(seeded.ms / 1000).toFixed(1)} s`);
  }
  const profile = await openProfile(dataDir, 'default', headlessKeyProvider(profileDir(dataDir, 'default'), {}));
  const db = profile.db;
  const first = browseAudit(db, { limit: 200, withTotal: true });
  const upToId = first.upToId!;
  const sample = first.events[17]!;
  const mid = browseAudit(db, { limit: 1, upToId, offset: Math.floor(first.total! / 2) }).events[0]!;
  const month = new Date(Date.parse(mid.at) - 30 * 86_400_000).toISOString();

  const shapes: [string, AuditFilters & { limit: number; offset?: number; withTotal?: boolean }][] = [
    ['first page + total', { limit: 200, withTotal: true }],
    ['next page (keyset)', { limit: 200, upToId, beforeId: first.nextBeforeId! }],
    ['jump to the middle (offset)', { limit: 200, upToId, offset: Math.floor(first.total! / 2) }],
    ['jump to the end (offset)', { limit: 200, upToId, offset: first.total! - 200 }],
    ['status failed + total', { limit: 200, upToId, outcome: 'failed', withTotal: true }],
    ['status failed, jump to its middle', { limit: 200, upToId, outcome: 'failed', offset: 25_000 }],
    ['flow + status + total', { limit: 200, upToId, flow: 'supplier-sync', outcome: 'failed', withTotal: true }],
    ['contains, one record + total', { limit: 200, upToId, search: sample.sourceKey.slice(2), withTotal: true }],
    ['contains, common + total', { limit: 200, upToId, search: 'PO2', withTotal: true }],
    ['contains, no match + total', { limit: 200, upToId, search: 'no-such-key', withTotal: true }],
    ['starts with, one record + total', { limit: 200, upToId, search: sample.sourceKey, searchMode: 'prefix', withTotal: true }],
    ['starts with, common + total', { limit: 200, upToId, search: 'PO2', searchMode: 'prefix', withTotal: true }],
    ['a month, mid-trail + total', { limit: 200, upToId, since: month, until: mid.at, withTotal: true }],
    ['a month + status failed + total', { limit: 200, upToId, since: month, until: mid.at, outcome: 'failed', withTotal: true }],
    ['a month + contains + total', { limit: 200, upToId, since: month, until: mid.at, search: 'PO20', withTotal: true }],
    ['one run + total', { limit: 200, upToId, runId: mid.runId!, withTotal: true }],
  ];
  console.log(`${'query (first call, again)'.padEnd(36)} ${'ms'.padStart(17)}`);
  for (const [name, opts] of shapes) {
    const t0 = performance.now();
    browseAudit(db, opts);
    const cold = performance.now() - t0;
    const t = performance.now();
    const page = browseAudit(db, opts);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM ${planAuditQuery(db, opts).from} ${planAuditQuery(db, opts).where} ORDER BY id DESC`)
      .all(planAuditQuery(db, opts).params) as { detail: string }[];
    console.log(`${name.padEnd(36)} ${cold.toFixed(1).padStart(7)}, ${ms(t).padStart(10)}  ${String(page.events.length).padStart(3)} rows${page.total !== undefined ? `, total ${page.total.toLocaleString('en-US')}` : ''}  [${plan.map((p) => p.detail).join('; ')}]`);
  }

  let t = performance.now();
  const timeline = recordTimeline(db, { sourceSystem: 'cloudsuite', sourceKey: sample.sourceKey, limit: 200 });
  console.log(`${'record timeline'.padEnd(36)} ${ms(t).padStart(10)}  ${timeline.events.length} of ${timeline.total} events`);
  t = performance.now();
  auditEventDetail(db, sample.id);
  console.log(`${'one event in full'.padEnd(36)} ${ms(t).padStart(10)}`);
  t = performance.now();
  const file = await exportAuditFile(db, { format: 'csv', outcome: 'failed', since: month, until: mid.at });
  console.log(`${'export a month of failures (csv)'.padEnd(36)} ${ms(t).padStart(10)}  ${file.rows} rows, ${(file.bytes / 1024).toFixed(0)} KB`);
  t = performance.now();
  await exportAuditFile(db, { format: 'csv' }).catch((err: Error) => console.log(`${'export everything (csv)'.padEnd(36)} ${ms(t).padStart(10)}  refused: ${err.message.slice(0, 80)}…`));

  // The longest stretch the engine cannot answer while verifying: the gap between two timer ticks.
  let longest = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2).padStart(7)} s`;
  t = performance.now();
  const verdict = await verifyAuditInSlices(db);
  clearInterval(tick);
  console.log(`${'verify the whole trail (in slices)'.padEnd(36)} ${seconds(t)}  ${verdict.message} Longest pause: ${longest.toFixed(0)} ms`);

  t = performance.now();
  const again = await verifyAuditInSlices(db, { resume: true });
  console.log(`${'verify, resumed, nothing new'.padEnd(36)} ${ms(t).padStart(10)}  ${again.checked} events hashed: ${again.message}`);
  if (!given) {
    const run = startRun(db, 'po-to-jaggaer');
    for (let i = 0; i < 1000; i++) {
      appendAudit(db, { runId: run.runId, flow: 'po-to-jaggaer', recordType: 'purchase order', sourceSystem: 'cloudsuite', sourceKey: `PO9${String(i).padStart(7, '0')}`, action: 'create', outcome: 'ok' });
    }
    finishRun(db, run.runId, { outcome: 'ok', counts: zeroCounts(), requests: 0, waitedMs: 0, error: null });
    setRunAuditHead(db, run.runId);
    t = performance.now();
    const day = await verifyAuditInSlices(db, { resume: true });
    console.log(`${'verify, resumed, 1,000 new events'.padEnd(36)} ${ms(t).padStart(10)}  ${day.checked} events hashed: ${day.message}`);
  }
  const heads = db.prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM audit_events WHERE run_id = ? AND hash = ? ORDER BY id DESC LIMIT 1`).all('x', 'y') as { detail: string }[];
  console.log(`  (a resumed check looks up each run's last event: [${heads.map((p) => p.detail).join('; ')}])`);
  profile.close();
} finally {
  tmp?.remove();
}
