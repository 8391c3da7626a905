import type { Db } from './db';
import { seal, unseal } from './seal';

export type SystemName = 'cloudsuite' | 'jaggaer' | 'jira';
export const systemNames: readonly SystemName[] = ['cloudsuite', 'jaggaer', 'jira'];

export interface StoredConnection {
  config: unknown;
  secrets: Record<string, string>;
  updatedAt: string;
}

// Secrets are sealed with the connection's name as associated data, so a sealed value copied onto another
// row does not unlock.
export function saveConnection(db: Db, sealKey: Buffer, system: SystemName, config: unknown, secrets: Record<string, string>): void {
  db.prepare(
    `INSERT INTO connections (system, config, secrets, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (system) DO UPDATE SET config = excluded.config, secrets = excluded.secrets, updated_at = excluded.updated_at`,
  ).run(system, JSON.stringify(config), seal(sealKey, JSON.stringify(secrets), `connections:${system}`), new Date().toISOString());
}

export function loadConnection(db: Db, sealKey: Buffer, system: SystemName): StoredConnection | null {
  const row = db.prepare('SELECT config, secrets, updated_at FROM connections WHERE system = ?').get(system) as
    | { config: string; secrets: string; updated_at: string }
    | undefined;
  if (!row) return null;
  return {
    config: JSON.parse(row.config),
    secrets: JSON.parse(unseal(sealKey, row.secrets, `connections:${system}`)) as Record<string, string>,
    updatedAt: row.updated_at,
  };
}

/** Non-secret view for the UI: the config and whether secrets are set, never their values. */
export function connectionConfig(db: Db, system: SystemName): { config: unknown; updatedAt: string; hasSecrets: boolean } | null {
  const row = db.prepare('SELECT config, secrets, updated_at FROM connections WHERE system = ?').get(system) as
    | { config: string; secrets: string; updated_at: string }
    | undefined;
  if (!row) return null;
  return { config: JSON.parse(row.config), updatedAt: row.updated_at, hasSecrets: row.secrets.length > 0 };
}

export function removeConnection(db: Db, system: SystemName): boolean {
  return db.prepare('DELETE FROM connections WHERE system = ?').run(system).changes > 0;
}
