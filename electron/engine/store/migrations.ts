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
  {
    version: 2,
    name: 'schedules, mappings, reference cache, failure retries and replays, audit retention',
    sql: `
      CREATE TABLE schedules (
        flow         TEXT PRIMARY KEY,
        spec         TEXT NOT NULL,           -- a cron expression, or "every 15m" / "every 2h"
        preset       TEXT,                    -- the preset it came from, if any
        paused       INTEGER NOT NULL DEFAULT 0,
        last_run_at  TEXT,
        next_run_at  TEXT,
        updated_at   TEXT NOT NULL
      );
      CREATE TABLE mappings (
        kind        TEXT NOT NULL,            -- supplier, gl-account, cost-center, site, payment-terms, …
        source_key  TEXT NOT NULL,            -- the CloudSuite side (vendor number, account|unit1, …)
        value       TEXT NOT NULL,            -- JSON: the other side (supplier number, segment values, …)
        note        TEXT,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (kind, source_key)
      );
      CREATE TABLE reference_cache (
        kind         TEXT NOT NULL,           -- gl-account, cost-center, vendor, project, period
        key          TEXT NOT NULL,
        data         TEXT NOT NULL,           -- JSON
        refreshed_at TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      );
      ALTER TABLE failures ADD COLUMN retryable INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE failures ADD COLUMN next_attempt_at TEXT;
      ALTER TABLE failures ADD COLUMN replay_of INTEGER REFERENCES failures (id);
      ALTER TABLE failures ADD COLUMN resolution TEXT;   -- why it was ignored, or the run that resolved it
      ALTER TABLE failures ADD COLUMN target_system TEXT;
      ALTER TABLE failures ADD COLUMN record_type TEXT;
      ALTER TABLE links ADD COLUMN snapshot TEXT;        -- JSON: what both sides looked like when last in step
      ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';
      ALTER TABLE runs ADD COLUMN audit_head TEXT;       -- hash of the run's last audit event: anchors the chain's end
      CREATE INDEX failures_state ON failures (flow, state, next_attempt_at);
      CREATE INDEX audit_at ON audit_events (at);
      -- Retention is the only way rows leave the audit trail: allowed while the purge marker is set, in the
      -- same transaction that records the new chain start (settings 'audit.anchor').
      DROP TRIGGER audit_events_no_delete;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        WHEN (SELECT value FROM settings WHERE key = 'audit.purging') IS NULL
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'Jira: worklog costing ledger, labour journals, webhooks and their deliveries',
    sql: `
      -- What each Jira worklog should cost now (the latest word from Jira); deleted ones cost nothing.
      CREATE TABLE worklog_costs (
        worklog_id   TEXT PRIMARY KEY,
        issue_id     TEXT NOT NULL,
        issue_key    TEXT NOT NULL,
        author       TEXT NOT NULL,           -- Jira account id
        author_name  TEXT,                    -- display name, for messages a person reads
        day          TEXT NOT NULL,           -- the worker's day (yyyy-mm-dd) as Jira records it
        period       TEXT NOT NULL,           -- posting period the day falls in (yyyy-mm-dd or yyyy-Www)
        seconds      INTEGER NOT NULL,
        rate         TEXT,                    -- per hour, decimal text; null while no rate is found
        rate_rule    TEXT,                    -- which rate-table row gave it
        amount_cents INTEGER,                 -- null while no rate is found
        account      TEXT,
        cost_center  TEXT,
        project      TEXT,
        deleted      INTEGER NOT NULL DEFAULT 0,
        jira_updated TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );
      CREATE INDEX worklog_costs_group ON worklog_costs (issue_key, period);
      -- Each labour journal Ferry posts (or is about to post: the intent is saved before the write, so a
      -- crash between the two is resolved by looking the reference up, never by posting again).
      CREATE TABLE labour_journals (
        reference    TEXT PRIMARY KEY,
        issue_key    TEXT NOT NULL,
        period       TEXT NOT NULL,
        kind         TEXT NOT NULL,           -- original | adjustment
        journal      TEXT NOT NULL,           -- JSON: the GlJournal as sent
        breakdown    TEXT NOT NULL,           -- JSON: worklog id -> { seconds, cents } this journal moves
        state        TEXT NOT NULL,           -- pending | posted | abandoned
        run_id       INTEGER,
        created_at   TEXT NOT NULL,
        posted_at    TEXT
      );
      CREATE INDEX labour_journals_group ON labour_journals (issue_key, period);
      CREATE TABLE webhooks (
        id            TEXT NOT NULL,          -- Jira's id (dynamic: a number; admin: from its self link)
        kind          TEXT NOT NULL,          -- dynamic | admin
        url           TEXT NOT NULL,
        jql           TEXT NOT NULL,
        events        TEXT NOT NULL,          -- JSON array
        secret        TEXT,                   -- sealed (admin webhooks sign deliveries with it)
        expires_at    TEXT,                   -- dynamic webhooks live 30 days from registration or refresh
        registered_at TEXT NOT NULL,
        refreshed_at  TEXT,
        last_error    TEXT,
        state         TEXT NOT NULL DEFAULT 'active',   -- active | gone
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE webhook_deliveries (
        delivery_id TEXT PRIMARY KEY,         -- X-Atlassian-Webhook-Identifier (stable across Jira's retries)
        received_at TEXT NOT NULL,
        event       TEXT,
        issue_key   TEXT,
        worklog_id  TEXT
      );
      CREATE TABLE webhook_counters (
        name  TEXT PRIMARY KEY,               -- accepted | duplicate | bad_signature | unknown_hook | malformed
        count INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 4,
    name: 'indexes for browsing a large audit trail (Activity screen)',
    // Each filter of the Activity screen answers from an index, newest first, without reading the events
    // themselves (which carry the captured exchanges): see browseAudit in store/audit.ts.
    sql: `
      CREATE INDEX audit_outcome_id ON audit_events (outcome, id);
      CREATE INDEX audit_flow_outcome_id ON audit_events (flow, outcome, id);
      CREATE INDEX audit_run_id ON audit_events (run_id, id);
      -- "starts with" searches on either key (LIKE is case-insensitive, so the indexes are too)
      CREATE INDEX audit_source_key_nocase ON audit_events (source_key COLLATE NOCASE);
      CREATE INDEX audit_target_key_nocase ON audit_events (target_key COLLATE NOCASE);
      -- the trail in id order with every filtered column: "contains" searches, time ranges and jumps scan this
      CREATE INDEX audit_browse ON audit_events (id, at, flow, outcome, source_key, target_key);
    `,
  },
  {
    version: 5,
    name: 'posting dates a person chose for records dated in a closed period',
    // One row per record: the accounting date its voucher or journal carries instead of its own date. Set from
    // Needs attention ("Post in 2026-12") or `ferry replay --post-in-open-period`; the choice is also an audit event.
    sql: `
      CREATE TABLE posting_dates (
        flow          TEXT NOT NULL,
        source_key    TEXT NOT NULL,
        posting_date  TEXT NOT NULL,          -- yyyy-mm-dd, inside an open period when it was chosen
        period        TEXT NOT NULL,          -- the open period it posts in, e.g. 2026-12
        closed_period TEXT NOT NULL,          -- the record's own period, closed when the choice was made
        record_date   TEXT NOT NULL,          -- the record's own date (the invoice date stays on the voucher)
        chosen_at     TEXT NOT NULL,
        PRIMARY KEY (flow, source_key)
      );
      -- Fiscal periods are asked of CloudSuite per date now, not cached.
      DELETE FROM reference_cache WHERE kind = 'period';
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
