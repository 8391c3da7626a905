import fs from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { flowNames } from '../../shared/api';
import { auditOutcomes, auditTimeHint, parseAuditTime, sinceBeforeUntil } from '../../shared/audit';
import { ExitError, json, out, positiveInt, withEngine, type Globals } from './cli-support';
import { auditTable } from './cli-output';
import { listAudit, type AuditFilters } from './store/audit';
import { auditExportFormats, exportAudit, type AuditExportFormat } from './store/audit-export';
import { auditRetentionDays, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, purgeAudit, setAuditRetentionDays } from './store/audit-retention';
import { verifyAudit } from './store/audit-verify';

// `ferry audit …`: read, check, export and prune the audit trail. Exit codes as in cli.ts: `verify` exits 1 when
// the trail is broken, bad input is 2.

interface FilterOptions {
  flow?: string;
  status?: AuditFilters['outcome'];
  since?: string;
  until?: string;
  search?: string;
  run?: string;
}

const auditFlows = [...flowNames, 'audit'];

const flowOption = (v: string) => {
  if (!auditFlows.includes(v)) throw new InvalidArgumentError(`there is no flow "${v}" in the audit trail; use one of: ${auditFlows.join(', ')}.`);
  return v;
};
const statusOption = (v: string) => {
  if (!(auditOutcomes as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of: ${auditOutcomes.join(', ')}.`);
  return v as AuditFilters['outcome'];
};
const timeOption = (edge: 'since' | 'until') => (v: string) => {
  const iso = parseAuditTime(v, edge);
  if (iso === null) throw new InvalidArgumentError(`"${v}" is not a date Ferry understands; ${auditTimeHint}.`);
  return iso;
};
const textOption = (v: string) => {
  const t = v.trim();
  if (t === '' || t.length > 200) throw new InvalidArgumentError('give part of a record key, up to 200 characters.');
  return t;
};

function withFilters(c: Command): Command {
  return c
    .option('--flow <name>', `only this flow (${auditFlows.join(', ')})`, flowOption)
    .option('--status <status>', `only this outcome (${auditOutcomes.join(', ')})`, statusOption)
    .option('--since <date>', 'from this day or UTC time on (2026-11-20, 2026-11-20T08:30Z)', timeOption('since'))
    .option('--until <date>', 'up to and including this day, or before this UTC time', timeOption('until'))
    .option('--search <text>', 'part of a record key: a PO number, a JAGGAER or Jira reference', textOption)
    .option('--run <id>', 'only the events of this run', textOption);
}

function filtersOf(o: FilterOptions): AuditFilters {
  const f: AuditFilters = { flow: o.flow, outcome: o.status, since: o.since, until: o.until, search: o.search, runId: o.run };
  if (!sinceBeforeUntil(f)) throw new ExitError(2, `The start (--since, ${f.since}) must be before the end (--until, ${f.until}).`);
  return f;
}

const days = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < MIN_RETENTION_DAYS || n > MAX_RETENTION_DAYS) {
    throw new InvalidArgumentError(`use a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS} (the default, 2555, is about 7 years).`);
  }
  return n;
};
const years = (d: number) => `about ${(d / 365).toFixed(d % 365 === 0 || d >= 3650 ? 0 : 1)} years`;

function exportFormat(file: string, given: string | undefined): AuditExportFormat {
  const format = given ?? path.extname(file).slice(1).toLowerCase();
  if ((auditExportFormats as readonly string[]).includes(format)) return format as AuditExportFormat;
  throw new ExitError(2, given ? `Ferry cannot export as "${given}": use --format csv or --format xlsx.` : 'Say which format to export with --format csv or --format xlsx.');
}

function checkTarget(file: string, force: boolean): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ExitError(2, `The folder ${dir} does not exist; create it first or choose another place.`);
  if (!fs.existsSync(file)) return;
  if (fs.statSync(file).isDirectory()) throw new ExitError(2, `${file} is a folder; give a file name for the export.`);
  if (!force) throw new ExitError(2, `${file} already exists; choose another name, or add --force to replace it.`);
}

export function registerAuditCommands(program: Command, globals: () => Globals): void {
  const audit = program.command('audit').description('the audit trail: what Ferry did to which record, when and in which run');

  withFilters(audit.command('list', { isDefault: true }).description('show audit events, newest first (the default)'))
    .option('--limit <n>', 'how many events (1–5000)', positiveInt(5000), 50)
    .option('--before <id>', 'only events older than this id (the next page)', positiveInt(Number.MAX_SAFE_INTEGER))
    .option('--json', 'print the events as one JSON object')
    .action(async (o: FilterOptions & { limit: number; before?: number; json?: boolean }) => {
      const filters = { ...filtersOf(o), beforeId: o.before };
      await withEngine(globals(), async (engine) => {
        const events = listAudit(engine.profile.db, { ...filters, limit: o.limit });
        const nextBeforeId = events.length === o.limit ? events[events.length - 1]!.id : null;
        if (o.json) {
          json({ events, nextBeforeId });
          return;
        }
        const filtered = Object.values(filters).some((v) => v !== undefined);
        out(events.length === 0 && filtered ? 'No events match these filters.' : auditTable(events));
        if (nextBeforeId !== null) out(`(older events: add --before ${nextBeforeId})`);
      });
    });

  audit
    .command('verify')
    .description('check that no audit event was changed, removed or cut off since it was written (exit 1 if one was)')
    .option('--quick', 'check only the events after the point the last passing check reached (not for an audit: older events are not hashed again)')
    .option('--json', 'print the result as one JSON object')
    .action(async (o: { quick?: boolean; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        // Full unless asked: this is what an auditor runs, and only a full check sees an edit among older events.
        const result = verifyAudit(engine.profile.db, { resume: o.quick === true });
        if (o.json) json(result);
        else if (result.ok) out(result.message);
        if (!result.ok) throw new ExitError(1, `The audit trail is broken. ${result.message}`);
      });
    });

  withFilters(audit.command('export').description('write the matching events, oldest first, to a CSV or Excel file'))
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'csv or xlsx (default: from the file name)')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the result as one JSON object')
    .action(async (o: FilterOptions & { out: string; format?: string; force?: boolean; json?: boolean }) => {
      const format = exportFormat(o.out, o.format);
      const filters = filtersOf(o);
      checkTarget(o.out, o.force === true);
      await withEngine(globals(), async (engine) => {
        const result = await exportAudit(engine.profile.db, filters, format, o.out, { overwrite: o.force === true });
        if (o.json) json(result);
        else out(`Exported ${result.rows} audit event${result.rows === 1 ? '' : 's'} to ${result.file}.`);
      });
    });

  audit
    .command('retention')
    .description('show or set how long audit events are kept; --purge removes the older ones now')
    .option('--days <n>', `keep events this many days (${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS})`, days)
    .option('--purge', 'remove the events older than the retention now (the removal is itself recorded)')
    .option('--json', 'print the result as one JSON object')
    .action(async (o: { days?: number; purge?: boolean; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const db = engine.profile.db;
        const retentionDays = o.days === undefined ? auditRetentionDays(db) : setAuditRetentionDays(db, o.days);
        const purge = o.purge ? purgeAudit(db) : null;
        const trail = db.prepare('SELECT count(*) AS events, min(id) AS id, (SELECT at FROM audit_events ORDER BY id LIMIT 1) AS at FROM audit_events').get() as {
          events: number;
          id: number | null;
          at: string | null;
        };
        if (o.json) {
          json({ retentionDays, events: trail.events, oldest: trail.id === null ? null : { id: trail.id, at: trail.at }, purge });
          return;
        }
        out(`Audit events are ${o.days === undefined ? '' : 'now '}kept for ${retentionDays} days (${years(retentionDays)}).`);
        if (purge) {
          out(
            purge.deleted === 0
              ? `Nothing to remove: no event was recorded before ${purge.cutoff}.`
              : `Removed ${purge.deleted} event${purge.deleted === 1 ? '' : 's'} recorded before ${purge.cutoff}; the removal is event #${purge.eventId}.`,
          );
        }
        out(trail.id === null ? 'The trail is empty.' : `The trail holds ${trail.events} events, the oldest #${trail.id} from ${trail.at}.`);
      });
    });
}
