import type { Db } from './db';

export interface Link {
  flow: string;
  sourceSystem: string;
  sourceId: string;
  targetSystem: string;
  targetId: string;
  targetStatus: string | null;
  contentHash: string;
  lastRunId: string | null;
  lastSyncedAt: string;
}

export function getLink(db: Db, sourceSystem: string, sourceId: string, targetSystem: string): Link | null {
  const row = db
    .prepare(
      `SELECT flow, source_system AS sourceSystem, source_id AS sourceId, target_system AS targetSystem,
              target_id AS targetId, target_status AS targetStatus, content_hash AS contentHash,
              last_run_id AS lastRunId, last_synced_at AS lastSyncedAt
       FROM links WHERE source_system = ? AND source_id = ? AND target_system = ?`,
    )
    .get(sourceSystem, sourceId, targetSystem) as Link | undefined;
  return row ?? null;
}

export function saveLink(db: Db, link: Omit<Link, 'lastSyncedAt'>): void {
  db.prepare(
    `INSERT INTO links (flow, source_system, source_id, target_system, target_id, target_status, content_hash, last_run_id, last_synced_at)
     VALUES (@flow, @sourceSystem, @sourceId, @targetSystem, @targetId, @targetStatus, @contentHash, @lastRunId, @lastSyncedAt)
     ON CONFLICT (source_system, source_id, target_system) DO UPDATE SET
       target_id = excluded.target_id, target_status = excluded.target_status, content_hash = excluded.content_hash,
       last_run_id = excluded.last_run_id, last_synced_at = excluded.last_synced_at`,
  ).run({ ...link, lastSyncedAt: new Date().toISOString() });
}

export function countLinks(db: Db, flow: string): number {
  return (db.prepare('SELECT count(*) AS n FROM links WHERE flow = ?').get(flow) as { n: number }).n;
}
