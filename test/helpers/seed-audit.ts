import { prng } from '../../electron/engine/sandbox/context';
import crypto from 'node:crypto';
import type { FlowName } from '../../shared/api';
import { auditRowHash, type AuditRow } from '../../electron/engine/store/audit';
import type { Db } from '../../electron/engine/store/db';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { profileDir } from '../../electron/engine/paths';
import { openProfile } from '../../electron/engine/store/profile';

// Test tooling: fills a profile's audit trail with a large, realistic, hash-chained history (a million events in
// well under a minute) so the Activity screen, exports and verification can be measured at size. The chain is
// computed exactly as store/audit.ts appendAudit computes it (auditRowHash), and each run records its audit head,
// so `ferry audit verify` passes over the seeded trail. Not for production profiles.

export interface SeedAuditOptions {
  count: number;
  /** Events per run (each run is one flow, finished, with its audit head). Default 500. */
  runSize?: number;
  /** Time of the last seeded event; the events spread evenly back over `days`. Default: a minute ago, 730 days. */
  endAt?: Date;
  days?: number;
  /** Seed of the pseudo-random choices, so two seeded trails are alike. */
  seed?: number;
  /** Called every 100,000 events with how many are in. */
  onProgress?: (done: number) => void;
}

export interface SeedAuditResult {
  events: number;
  runs: number;
  firstId: number;
  lastId: number;
  ms: number;
}

interface FlowShape {
  flow: FlowName;
  weight: number;
  recordType: string;
  source: string;
  target: string;
  key: (n: number) => string;
  targetKey: (n: number) => string;
  /** How many different records the flow cycles through (each reappears across runs). */
  records: number;
}

// Keys chosen so they never collide with the sandbox's own (its POs are PO0001xxxx, its JAGGAER documents 2600xxx).
export const seedFlows: FlowShape[] = [
  { flow: 'po-to-jaggaer', weight: 40, recordType: 'purchase order', source: 'cloudsuite', target: 'jaggaer', key: (n) => `PO2${String(n).padStart(7, '0')}`, targetKey: (n) => `71${String(n).padStart(6, '0')}`, records: 120_000 },
  { flow: 'invoice-to-cloudsuite', weight: 25, recordType: 'supplier invoice', source: 'jaggaer', target: 'cloudsuite', key: (n) => `JINV-${String(n).padStart(7, '0')}`, targetKey: (n) => `VCH${String(n).padStart(7, '0')}`, records: 80_000 },
  { flow: 'invoice-to-jaggaer', weight: 15, recordType: 'AP voucher', source: 'cloudsuite', target: 'jaggaer', key: (n) => `AP${String(n).padStart(8, '0')}`, targetKey: (n) => `INC-${String(n).padStart(7, '0')}`, records: 60_000 },
  { flow: 'supplier-sync', weight: 10, recordType: 'supplier', source: 'cloudsuite', target: 'jaggaer', key: (n) => `V${String(n).padStart(6, '0')}`, targetKey: (n) => `BR${String(n).padStart(6, '0')}`, records: 4_000 },
  { flow: 'po-to-jira', weight: 6, recordType: 'purchase order', source: 'cloudsuite', target: 'jira', key: (n) => `PO3${String(n).padStart(7, '0')}`, targetKey: (n) => `FIN-${n}`, records: 20_000 },
  { flow: 'worklog-to-gl', weight: 4, recordType: 'labour journal', source: 'jira', target: 'cloudsuite', key: (n) => `LAB-FIN-${n}-2026-${String((n % 12) + 1).padStart(2, '0')}`, targetKey: (n) => `GLJ${String(n).padStart(7, '0')}`, records: 10_000 },
];

const failReasons = [
  (k: string) => `Supplier of ${k} is not mapped: add a supplier mapping for vendor V00${k.length}17, then retry.`,
  (k: string) => `${k}: GL account 610990 is closed in CloudSuite; reopen it or map the line to another account, then retry.`,
  (k: string) => `JAGGAER refused ${k}: the cost center CC-OLD is not active (returnCode 12).`,
  () => 'The JAGGAER API answered 503 Service Unavailable. Ferry retries it automatically (attempt 2 of 5).',
];
const skipReasons = ['No change since the last sync.', 'Planned PO: it goes to JAGGAER once it is ordered.', 'Closed in CloudSuite before it ever reached JAGGAER.'];


/** What a redacted exchange looks like in the trail (http/capture.ts), sized like a short document. */
function captureFor(shape: FlowShape, key: string, targetKey: string | null, failed: boolean, at: string): string {
  const body =
    shape.target === 'jaggaer'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<PurchaseOrderMessage version="1.0">\n  <Header>\n    <MessageId>ferry-${key}</MessageId>\n    <Timestamp>${at}</Timestamp>\n    <Authentication>\n      <Identity>[redacted]</Identity>\n      <SharedSecret>[redacted]</SharedSecret>\n    </Authentication>\n  </Header>\n  <Document number="${key}" status="Approved" currency="USD" total="1234.50"/>\n</PurchaseOrderMessage>`
      : JSON.stringify({ reference: key, lines: [{ account: '610100', costCenter: 'CC100', amount: '1234.50' }], note: `from ${shape.source}` });
  return JSON.stringify({
    method: 'POST',
    url: shape.target === 'jira' ? 'https://jira.example.com/rest/api/3/issue' : `https://${shape.target}.example.com/api/${shape.flow}`,
    status: failed ? 422 : 200,
    ms: 120,
    attempt: 1,
    requestHeaders: { Accept: 'application/json', 'Content-Type': shape.target === 'jaggaer' ? 'application/xml' : 'application/json', Authorization: '[redacted]' },
    requestBody: body,
    responseBody: failed ? `{"returnCode":12,"message":"refused ${key}"}` : `{"returnCode":0,"documentId":"${targetKey ?? ''}"}`,
    error: failed ? 'HTTP 422' : null,
  });
}

/**
 * Appends `count` events (and their runs) to the trail in one transaction with one prepared statement, chaining
 * onto whatever the trail already holds. Returns how long it took.
 */
export function seedAudit(db: Db, opts: SeedAuditOptions): SeedAuditResult {
  const started = performance.now();
  const runSize = opts.runSize ?? 500;
  const endMs = (opts.endAt ?? new Date(Date.now() - 60_000)).getTime();
  const spanMs = (opts.days ?? 730) * 86_400_000;
  const stepMs = opts.count > 1 ? spanMs / (opts.count - 1) : 0;
  const rand = prng(opts.seed ?? 20261121);
  const totalWeight = seedFlows.reduce((s, f) => s + f.weight, 0);
  const pickFlow = (): FlowShape => {
    let r = rand() * totalWeight;
    for (const f of seedFlows) if ((r -= f.weight) < 0) return f;
    return seedFlows[0]!;
  };

  const insert = db.prepare(
    `INSERT INTO audit_events (at, run_id, flow, record_type, source_system, source_key, target_system, target_key,
       action, outcome, target_status, reason, capture, prev_hash, hash)
     VALUES (@at, @run_id, @flow, @record_type, @source_system, @source_key, @target_system, @target_key,
       @action, @outcome, @target_status, @reason, @capture, @prev_hash, @hash)`,
  );
  const insertRun = db.prepare(
    `INSERT INTO runs (id, flow, started_at, finished_at, outcome, counts, requests, waited_ms, trigger, audit_head)
     VALUES (@id, @flow, @started, @finished, @outcome, @counts, @requests, 0, 'schedule', @head)`,
  );
  const setHead = db.prepare('UPDATE runs SET audit_head = ? WHERE id = ?');

  let firstId = 0;
  let lastId = 0;
  let runs = 0;
  db.transaction(() => {
    let prev = (db.prepare('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? null;
    for (let i = 0; i < opts.count; ) {
      const shape = pickFlow();
      const n = Math.min(runSize, opts.count - i);
      const runAt = new Date(endMs - spanMs + i * stepMs);
      const runId = `${runAt.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomBytes(3).toString('hex')}`;
      const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
      const rows: Omit<AuditRow, 'id' | 'hash'>[] = [];
      for (let j = 0; j < n; j++, i++) {
        const at = new Date(endMs - spanMs + i * stepMs).toISOString();
        const record = 1 + Math.floor(rand() * shape.records);
        const key = shape.key(record);
        const roll = rand();
        const outcome = roll < 0.05 ? 'failed' : roll < 0.22 ? 'skipped' : 'ok';
        const targetKey = outcome === 'failed' ? null : shape.targetKey(record);
        const action = outcome === 'failed' ? 'send' : outcome === 'skipped' ? (roll < 0.19 ? 'unchanged' : 'skip') : roll < 0.7 ? 'update' : 'create';
        if (outcome === 'failed') counts.failed++;
        else if (action === 'unchanged') counts.unchanged++;
        else if (outcome === 'skipped') counts.skipped++;
        else counts[action === 'create' ? 'created' : 'updated']++;
        rows.push({
          at,
          run_id: runId,
          flow: shape.flow,
          record_type: shape.recordType,
          source_system: shape.source,
          source_key: key,
          target_system: shape.target,
          target_key: targetKey,
          action,
          outcome,
          target_status: outcome === 'ok' ? (shape.target === 'jaggaer' ? 'Approved' : shape.target === 'jira' ? 'To Do' : 'Posted') : null,
          reason: outcome === 'failed' ? failReasons[Math.floor(rand() * failReasons.length)]!(key) : outcome === 'skipped' ? skipReasons[action === 'unchanged' ? 0 : 1 + Math.floor(rand() * 2)]! : null,
          capture: outcome === 'skipped' ? null : captureFor(shape, key, targetKey, outcome === 'failed', at),
          prev_hash: null,
        });
      }
      insertRun.run({
        id: runId,
        flow: shape.flow,
        started: rows[0]!.at,
        finished: rows[rows.length - 1]!.at,
        outcome: counts.failed > 0 ? 'partial' : 'ok',
        counts: JSON.stringify(counts),
        requests: n,
        head: null,
      });
      let head = '';
      for (const row of rows) {
        row.prev_hash = prev;
        head = auditRowHash(row);
        const id = Number(insert.run({ ...row, hash: head }).lastInsertRowid);
        if (firstId === 0) firstId = id;
        lastId = id;
        prev = head;
      }
      setHead.run(head, runId);
      runs++;
      if (opts.onProgress && Math.floor((i - n) / 100_000) !== Math.floor(i / 100_000)) opts.onProgress(i);
    }
  })();
  return { events: opts.count, runs, firstId, lastId, ms: Math.round(performance.now() - started) };
}

/**
 * Seeds the trail of a profile nobody else has open (e.g. before `ferry demo` serves it), with the database's
 * durability relaxed for the bulk insert (a crash would only lose the test data) and restored afterwards.
 */
export async function seedAuditProfile(dataDir: string, opts: SeedAuditOptions & { profile?: string }): Promise<SeedAuditResult> {
  const name = opts.profile ?? 'default';
  // The key file the headless CLI uses for this data folder (FERRY_DB_KEY unset), so `ferry demo` opens it too.
  const profile = await openProfile(dataDir, name, headlessKeyProvider(profileDir(dataDir, name), {}));
  try {
    profile.db.pragma('journal_mode = MEMORY');
    profile.db.pragma('synchronous = OFF');
    profile.db.pragma('cache_size = -131072');
    const result = seedAudit(profile.db, opts);
    profile.db.pragma('journal_mode = WAL');
    profile.db.pragma('synchronous = FULL');
    return result;
  } finally {
    profile.close();
  }
}
