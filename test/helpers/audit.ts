import type { AuditInput } from '../../electron/engine/store/audit';
import { appendAudit, setRunAuditHead } from '../../electron/engine/store/audit';
import type { Db } from '../../electron/engine/store/db';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { finishRun, startRun, zeroCounts } from '../../electron/engine/store/runs';
import { tempDir } from './temp';

// A real encrypted profile in a temp folder, and audit events written the way the runner writes them.

const HEX_KEY = '8c1f0e2d3b4a59687786a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f9';

export async function openAuditProfile(): Promise<{ profile: Profile; dir: string; close(): void }> {
  const tmp = tempDir('ferry-audit-');
  const profile = await openProfile(tmp.dir, 'default', headlessKeyProvider(tmp.dir, { FERRY_DB_KEY: HEX_KEY }));
  return {
    profile,
    dir: tmp.dir,
    close: () => {
      if (profile.db.open) profile.close();
      tmp.remove();
    },
  };
}

export const auditEvent = (i: number, over: Partial<AuditInput> = {}): AuditInput => ({
  runId: null,
  flow: 'po-to-jaggaer',
  recordType: 'purchase-order',
  sourceSystem: 'cloudsuite',
  sourceKey: `PO${String(i).padStart(5, '0')}`,
  targetSystem: 'jaggaer',
  targetKey: `J-${i}`,
  action: 'create',
  outcome: 'ok',
  targetStatus: 'Approved',
  reason: null,
  ...over,
});

/** A finished run of po-to-jaggaer that wrote `n` events, with its audit head recorded as the runner does. */
export function auditedRun(db: Db, n: number, over: (i: number) => Partial<AuditInput> = () => ({})): { runId: string; ids: number[] } {
  const run = startRun(db, 'po-to-jaggaer');
  const ids = Array.from({ length: n }, (_, i) => appendAudit(db, auditEvent(i + 1, { runId: run.runId, ...over(i + 1) })));
  finishRun(db, run.runId, { outcome: 'ok', counts: zeroCounts(), requests: 0, waitedMs: 0, error: null });
  setRunAuditHead(db, run.runId);
  return { runId: run.runId, ids };
}

/** What someone with the key and a SQLite shell could do: drop the guards that make the table append-only. */
export function dropAuditGuards(db: Db): void {
  db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
}

export const count = (db: Db): number => (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
