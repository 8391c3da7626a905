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
  /** Two-way flows: what both sides looked like when last in step (JSON); null for one-way links. */
  snapshot?: unknown;
}

type LinkRow = Omit<Link, 'snapshot'> & { snapshot: string | null };
const toLink = (row: LinkRow): Link => ({ ...row, snapshot: row.snapshot === null ? null : (JSON.parse(row.snapshot) as unknown) });

const LINK_COLUMNS = `flow, source_system AS sourceSystem, source_id AS sourceId, target_system AS targetSystem,
  target_id AS targetId, target_status AS targetStatus, content_hash AS contentHash,
  last_run_id AS lastRunId, last_synced_at AS lastSyncedAt, snapshot`;

export function getLink(db: Db, sourceSystem: string, sourceId: string, targetSystem: string): Link | null {
  const row = db
    .prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE source_system = ? AND source_id = ? AND target_system = ?`)
    .get(sourceSystem, sourceId, targetSystem) as LinkRow | undefined;
  return row ? toLink(row) : null;
}

/** Every link of a flow (two-way flows look a pair up from either side, so they index them once per run). */
export function listLinks(db: Db, flow: string): Link[] {
  return (db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE flow = ?`).all(flow) as LinkRow[]).map(toLink);
}

/** A link saved without a snapshot keeps the one it has (one-way flows never write it). */
export function saveLink(db: Db, link: Omit<Link, 'lastSyncedAt'>): void {
  const { snapshot, ...rest } = link;
  db.prepare(
    `INSERT INTO links (flow, source_system, source_id, target_system, target_id, target_status, content_hash, last_run_id, last_synced_at, snapshot)
     VALUES (@flow, @sourceSystem, @sourceId, @targetSystem, @targetId, @targetStatus, @contentHash, @lastRunId, @lastSyncedAt, @snapshot)
     ON CONFLICT (source_system, source_id, target_system) DO UPDATE SET
       target_id = excluded.target_id, target_status = excluded.target_status, content_hash = excluded.content_hash,
       last_run_id = excluded.last_run_id, last_synced_at = excluded.last_synced_at, snapshot = coalesce(excluded.snapshot, links.snapshot)`,
  ).run({ ...rest, lastSyncedAt: new Date().toISOString(), snapshot: snapshot === undefined || snapshot === null ? null : JSON.stringify(snapshot) });
}

export function countLinks(db: Db, flow: string): number {
  return (db.prepare('SELECT count(*) AS n FROM links WHERE flow = ?').get(flow) as { n: number }).n;
}
