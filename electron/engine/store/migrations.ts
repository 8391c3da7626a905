import type Database from 'better-sqlite3-multiple-ciphers';

// Append-only list: a shipped migration is never edited, only followed by a new one.
const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'connections, cursors, links, runs, audit events, failures, settings',
    sql: `
      CREATE TABLE connections (
        system      TEXT PRIMARY KEY,
        config      TEXT NOT NULL,            -- JSON, no secrets
        secrets     TEXT NOT NULL,            -- sealed envelope (store/seal.ts)
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE cursors (
        flow        TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE links (
        flow          TEXT NOT NULL,
        source_system TEXT NOT NULL,
        source_id     TEXT NOT NULL,
        target_system TEXT NOT NULL,
        target_id     TEXT NOT NULL,
        target_status TEXT,
        content_hash  TEXT NOT NULL,
        last_run_id   TEXT,
        last_synced_at TEXT NOT NULL,
        PRIMARY KEY (source_system, source_id, target_system)
      );
      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        flow        TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        outcome     TEXT NOT NULL,
        counts      TEXT NOT NULL,
        requests    INTEGER NOT NULL DEFAULT 0,
        waited_ms   INTEGER NOT NULL DEFAULT 0,
        error       TEXT
      );
      CREATE INDEX runs_flow_started ON runs (flow, started_at);
      CREATE TABLE audit_events (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        at            TEXT NOT NULL,
        run_id        TEXT REFERENCES runs (id),
        flow          TEXT NOT NULL,
        record_type   TEXT NOT NULL,
        source_system TEXT NOT NULL,
        source_key    TEXT NOT NULL,
        target_system TEXT,
        target_key    TEXT,
        action        TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        target_status TEXT,
        reason        TEXT,
        capture       TEXT,                   -- redacted request/response, JSON
        prev_hash     TEXT,
        hash          TEXT NOT NULL
      );
      CREATE INDEX audit_flow_id ON audit_events (flow, id);
      CREATE INDEX audit_source ON audit_events (source_system, source_key);
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TABLE failures (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        flow          TEXT NOT NULL,
        source_system TEXT NOT NULL,
        source_key    TEXT NOT NULL,
        first_run_id  TEXT REFERENCES runs (id),
        last_run_id   TEXT REFERENCES runs (id),
        code          TEXT NOT NULL,
        reason        TEXT NOT NULL,
        payload       TEXT,                   -- what Ferry would have sent, JSON, no secrets
        attempts      INTEGER NOT NULL DEFAULT 1,
        state         TEXT NOT NULL DEFAULT 'open',  -- open / resolved / ignored
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE UNIQUE INDEX failures_open_record ON failures (flow, source_system, source_key) WHERE state = 'open';
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;

/** Applies each pending migration in its own transaction, so a failure leaves the previous version intact. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
