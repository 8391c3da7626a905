import type { Db } from './db';

export function getCursor(db: Db, flow: string): string | null {
  const row = db.prepare('SELECT value FROM cursors WHERE flow = ?').get(flow) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Call inside the same transaction that records the page's last outcome (sync rule 1: cursor after commit). */
export function setCursor(db: Db, flow: string, value: string): void {
  db.prepare(
    `INSERT INTO cursors (flow, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (flow) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(flow, value, new Date().toISOString());
}
