import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitError, json, out, withEngine, type Globals, readInputFile } from './cli-support';
import { exportMappingsCsv, importMappingsCsv, MAX_IMPORT_BYTES, type ImportResult } from './mapping/csv';
import { describeMappingValue, setMappingChecked, unmappedRule } from './mapping/edit';
import { glSegments, MappingKind, mappingKinds, mappingLabels } from './mapping/kinds';
import { refreshReferenceNow, type ReferenceRefresh } from './mapping/reference-refresh';
import { deleteMapping, listMappings, undoLastMappingChange, type Mapping } from './store/mappings';
import { referenceAge, referenceKinds, referenceLabels } from './store/reference';

// `ferry reference …` and `ferry mappings …`: reading CloudSuite's reference lists into the cache, and the
// mapping tables finance staff keep (list, import and export as CSV, set, delete, undo).
// Exit codes as everywhere: 0 done, 1 could not run, 2 bad input (including rows of an import that are bad).

const kindArg = (v: string): MappingKind => {
  const r = MappingKind.safeParse(v);
  if (!r.success) throw new InvalidArgumentError(`there is no mapping kind "${v}"; the kinds are: ${mappingKinds.join(', ')}.`);
  return r.data;
};

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

function refreshLines(r: ReferenceRefresh & { requests: number }): string {
  const lines = [`Reference data read from CloudSuite (${r.requests} requests):`];
  for (const kind of referenceKinds) {
    const label = referenceLabels[kind].padEnd(15);
    const failed = r.failed.find((f) => f.kind === kind);
    if (failed) lines.push(`  ${label} NOT READ: ${failed.message} (the previous list is kept)`);
    else if (r.skipped.includes(kind)) lines.push(`  ${label} not available from this CloudSuite product`);
    else lines.push(`  ${label} ${r.counts[kind] ?? 0}`);
  }
  return lines.join('\n');
}

function importLines(r: ImportResult): string {
  const label = mappingLabels[r.kind].kind;
  const bad = r.rows.filter((x) => !x.ok);
  const good = r.rows.length - bad.length;
  const head =
    bad.length === 0
      ? `Stored ${r.stored} ${label} mapping(s).`
      : r.partial
        ? `Stored the ${r.stored} good row(s); ${bad.length} row(s) were left out:`
        : `Nothing was stored: ${bad.length} of ${r.rows.length} row(s) cannot be used. Fix them, or import again with --partial to store the ${good} good row(s):`;
  return [head, ...bad.map((x) => `  row ${x.row}: ${x.reason}`)].join('\n');
}

/** "name=value" pairs (objects) or one bare value (cost-center, payment-terms, jira-role; a labour rate) → the mapping's value. */
function valueFromArgs(kind: MappingKind, args: string[]): unknown {
  if (kind === 'cost-center' || kind === 'payment-terms' || kind === 'jira-role') {
    const what = kind === 'cost-center' ? 'JAGGAER value' : kind === 'payment-terms' ? 'JAGGAER payment terms' : 'role';
    if (args.length !== 1) throw new ExitError(2, `Give the ${what} as one argument (quote it when it has spaces).`);
    return args[0];
  }
  // A labour rate may be given bare: "set labour-rate role:Engineer 85".
  if (kind === 'labour-rate' && args.length === 1 && !args[0]!.includes('=')) return { rate: args[0] };
  const fields: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 1) {
      const names: Partial<Record<MappingKind, string>> = {
        supplier: 'supplierNumber=… [bravoId=…]',
        site: 'shipTo=… [businessUnit=…]',
        'jira-project': 'project=… issueType=… [projectIssueType=…]',
        'labour-rate': 'rate=…',
      };
      throw new ExitError(2, `"${a}" is not a name=value pair; a ${mappingLabels[kind].kind} mapping takes ${names[kind] ?? 'one segment=value pair per JAGGAER segment'}.`);
    }
    fields[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return fields;
}

function printable(m: Mapping) {
  return { kind: m.kind, key: m.key, value: m.value, note: m.note, updatedAt: m.updatedAt };
}

export function registerMappingCommands(program: Command, globals: () => Globals): void {
  const reference = program.command('reference').description('CloudSuite reference data (vendors, GL accounts, cost centers, projects) cached for validation');

  reference
    .command('refresh')
    .description('read the reference lists from CloudSuite now and replace the cached ones')
    .option('--json', 'print the counts as one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const r = await refreshReferenceNow(engine.profile, engine.log);
        if (o.json) json(r);
        else out(refreshLines(r));
        if (r.failed.length > 0) throw new ExitError(1, `Ferry could not read the ${r.failed.map((f) => referenceLabels[f.kind]).join(' and ')} from CloudSuite; the lists read before are kept.`);
      });
    });

  reference
    .command('status')
    .description('show how many items of each list are cached, and when they were read')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const kinds = referenceKinds.map((kind) => ({ kind, ...(referenceAge(engine.profile.db, kind) ?? { refreshedAt: null, ageMs: null, count: 0 }) }));
        if (o.json) return json({ kinds });
        out(table(['List', 'Items', 'Read from CloudSuite (UTC)'], kinds.map((k) => [referenceLabels[k.kind], String(k.count), k.refreshedAt?.replace('T', ' ').slice(0, 19) ?? 'never'])));
      });
    });

  const mappings = program.command('mappings').description(`the mapping tables (${mappingKinds.join(', ')})`);

  mappings
    .command('list')
    .description('show the mappings of one kind')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .option('--json', 'print one JSON object')
    .action(async (kind: MappingKind, o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const db = engine.profile.db;
        const list = listMappings(db, kind);
        if (o.json) return json({ kind, ...(kind === 'gl-account' ? { segments: glSegments(db) } : {}), mappings: list.map(printable) });
        if (list.length === 0) out(`No ${mappingLabels[kind].kind} mappings yet.`);
        else {
          const rows = list.map((m) => [m.key, describeMappingValue(m), m.note ?? '', m.updatedAt.replace('T', ' ').slice(0, 19)]);
          out(table([mappingLabels[kind].key, mappingLabels[kind].value, 'Note', 'Changed (UTC)'], rows));
        }
        out(unmappedRule(db, kind));
      });
    });

  mappings
    .command('import')
    .description('read mappings from a CSV file (header row required); nothing is stored if any row is bad, unless --partial')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .argument('<file>', 'the CSV file')
    .option('--partial', 'store the good rows even when some are bad')
    .option('--json', 'print the per-row results as one JSON object')
    .action(async (kind: MappingKind, file: string, o: { partial?: boolean; json?: boolean }) => {
      const text = readCsvFile(file);
      await withEngine(globals(), async (engine) => {
        const r = importMappingsCsv(engine.profile.db, kind, text, { partial: o.partial });
        if (o.json) json(r);
        else out(importLines(r));
        if (r.bad > 0) {
          throw new ExitError(2, r.partial ? `${r.bad} row(s) of ${file} were not stored.` : `Nothing from ${file} was stored: ${r.bad} row(s) cannot be used.`);
        }
      });
    });

  mappings
    .command('export')
    .description('write the mappings of one kind to a CSV file (the layout import reads)')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .argument('<file>', 'where to write it')
    .option('--force', 'replace the file when it exists')
    .action(async (kind: MappingKind, file: string, o: { force?: boolean }) => {
      if (!o.force && fs.existsSync(file)) throw new ExitError(2, `${file} already exists; use --force to replace it.`);
      await withEngine(globals(), async (engine) => {
        const db = engine.profile.db;
        // With a byte-order mark, so that Excel opens the UTF-8 file with its accents intact.
        fs.writeFileSync(file, exportMappingsCsv(db, kind, { bom: true }));
        out(`Wrote ${listMappings(db, kind).length} ${mappingLabels[kind].kind} mapping(s) to ${file}.`);
      });
    });

  mappings
    .command('set')
    .description('add or change one mapping, e.g. "set supplier V001000 supplierNumber=S-77", "set payment-terms N30 \'Net 30\'", "set jira-project \'*\' project=ENG \'issueType=Purchase Order\'", "set labour-rate role:Engineer@2026-01-01 85"')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .argument('<key>', 'the source side (vendor number, account|cost center, cost center, site, terms code; project number, type:<PO type> or *; labour rate scope[@yyyy-mm-dd]; Jira account id)')
    .argument('<value...>', 'the target side: name=value pairs, or one value for cost-center, payment-terms, jira-role and labour-rate')
    .option('--note <text>', 'a note kept with the mapping')
    .option('--json', 'print the stored mapping as one JSON object')
    .action(async (kind: MappingKind, key: string, values: string[], o: { note?: string; json?: boolean }) => {
      const value = valueFromArgs(kind, values);
      await withEngine(globals(), async (engine) => {
        const m = setMappingChecked(engine.profile.db, kind, key, value, o.note);
        if (o.json) json(printable(m));
        else out(`${mappingLabels[kind].kind} mapping ${m.key} → ${describeMappingValue(m)} saved.`);
      });
    });

  mappings
    .command('delete')
    .description('remove one mapping (the default applies again)')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .argument('<key>', 'the CloudSuite side')
    .action(async (kind: MappingKind, key: string) => {
      await withEngine(globals(), async (engine) => {
        if (!deleteMapping(engine.profile.db, kind, key)) throw new ExitError(2, `There is no ${mappingLabels[kind].kind} mapping for ${key}.`);
        out(`${mappingLabels[kind].kind} mapping ${key} removed.`);
      });
    });

  mappings
    .command('undo')
    .description('take back the last change to the mappings of one kind (a set, a delete or a whole import)')
    .argument('<kind>', mappingKinds.join(', '), kindArg)
    .option('--json', 'print what was undone as one JSON object')
    .action(async (kind: MappingKind, o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const undone = undoLastMappingChange(engine.profile.db, kind);
        if (o.json) return json({ undone });
        if (!undone) throw new ExitError(2, `There is no change to the ${mappingLabels[kind].kind} mappings to undo.`);
        out(`Undid the ${undone.action} of ${undone.count} ${mappingLabels[kind].kind} mapping(s) made at ${undone.at.replace('T', ' ').slice(0, 19)} UTC.`);
      });
    });
}

function readCsvFile(file: string): string {
  return readInputFile(file, MAX_IMPORT_BYTES, (size) => `${file} is ${Math.round(size / 1024 / 1024)} MB, far more than a mapping table; check that it is the right file.`);
}
