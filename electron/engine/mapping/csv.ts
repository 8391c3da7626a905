import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { listMappings, setMappings, type Mapping } from '../store/mappings';
import { glAccountKey, glSegments, labourRateKey, mappingLabels, parseMapping, splitGlAccountKey, splitLabourRateKey, type MappingKind } from './kinds';
import { loadMappingContext, mappingKeyProblem, mappingKeyReference, mappingReference, type ValidationContext } from './validate';

// Mapping tables as CSV files, the way finance staff keep them in a spreadsheet. One layout per kind, header
// row required (columns in any order, names without regard to case). An import checks every row against the
// kind's rules and the reference cache and reports each row; by default it stores nothing unless every row
// is good, so a file with one mistake never leaves the table half-changed.

interface Column {
  name: string;
  required: boolean;
  /** A GL segment column: required in the header, but a row may leave it empty. */
  segment?: boolean;
}

interface Layout {
  columns: Column[];
  toCells(m: Mapping): Record<string, string>;
  fromCells(cells: Record<string, string>): { key: string; value: unknown; note: string };
}

/** GL segment columns carry this prefix, so a segment called "account" cannot clash with the account column. */
export const SEGMENT_PREFIX = 'jaggaer_';

export function csvLayout(kind: MappingKind, segments: string[]): Layout {
  const note = { name: 'note', required: false };
  const col = (name: string, required = true) => ({ name, required });
  switch (kind) {
    case 'supplier':
      return {
        columns: [col('vendor_number'), col('jaggaer_supplier_number'), col('bravo_id', false), note],
        toCells: (m) => {
          const v = m.value as Mapping<'supplier'>['value'];
          return { vendor_number: m.key, jaggaer_supplier_number: v.supplierNumber, bravo_id: v.bravoId ?? '', note: m.note ?? '' };
        },
        fromCells: (c) => ({ key: c.vendor_number!, value: { supplierNumber: c.jaggaer_supplier_number, ...(c.bravo_id ? { bravoId: c.bravo_id } : {}) }, note: c.note ?? '' }),
      };
    case 'gl-account':
      return {
        columns: [col('account'), col('cost_center', false), ...segments.map((s) => ({ name: `${SEGMENT_PREFIX}${s}`, required: true, segment: true })), note],
        toCells: (m) => {
          const { account, costCenter } = splitGlAccountKey(m.key);
          const v = m.value as Mapping<'gl-account'>['value'];
          return { account, cost_center: costCenter ?? '*', ...Object.fromEntries(segments.map((s) => [`${SEGMENT_PREFIX}${s}`, v[s] ?? ''])), note: m.note ?? '' };
        },
        fromCells: (c) => ({
          key: glAccountKey(c.account!, c.cost_center || null),
          value: Object.fromEntries(segments.filter((s) => c[`${SEGMENT_PREFIX}${s}`]).map((s) => [s, c[`${SEGMENT_PREFIX}${s}`]!])),
          note: c.note ?? '',
        }),
      };
    case 'cost-center':
      return {
        columns: [col('cost_center'), col('jaggaer_value'), note],
        toCells: (m) => ({ cost_center: m.key, jaggaer_value: m.value as string, note: m.note ?? '' }),
        fromCells: (c) => ({ key: c.cost_center!, value: c.jaggaer_value, note: c.note ?? '' }),
      };
    case 'site':
      return {
        columns: [col('site'), col('ship_to'), col('business_unit', false), note],
        toCells: (m) => {
          const v = m.value as Mapping<'site'>['value'];
          return { site: m.key, ship_to: v.shipTo, business_unit: v.businessUnit ?? '', note: m.note ?? '' };
        },
        fromCells: (c) => ({ key: c.site!, value: { shipTo: c.ship_to, ...(c.business_unit ? { businessUnit: c.business_unit } : {}) }, note: c.note ?? '' }),
      };
    case 'payment-terms':
      return {
        columns: [col('terms_code'), col('jaggaer_terms'), note],
        toCells: (m) => ({ terms_code: m.key, jaggaer_terms: m.value as string, note: m.note ?? '' }),
        fromCells: (c) => ({ key: c.terms_code!, value: c.jaggaer_terms, note: c.note ?? '' }),
      };
    case 'jira-project':
      return {
        columns: [col('cloudsuite_key'), col('jira_project'), col('issue_type'), col('project_issue_type', false), note],
        toCells: (m) => {
          const v = m.value as Mapping<'jira-project'>['value'];
          return { cloudsuite_key: m.key, jira_project: v.project, issue_type: v.issueType, project_issue_type: v.projectIssueType ?? '', note: m.note ?? '' };
        },
        fromCells: (c) => ({
          key: c.cloudsuite_key!,
          value: { project: c.jira_project, issueType: c.issue_type, ...(c.project_issue_type ? { projectIssueType: c.project_issue_type } : {}) },
          note: c.note ?? '',
        }),
      };
    case 'labour-rate':
      return {
        columns: [col('scope'), col('effective_from', false), col('rate'), note],
        toCells: (m) => {
          const { scope, effectiveFrom } = splitLabourRateKey(m.key);
          return { scope, effective_from: effectiveFrom ?? '', rate: String((m.value as Mapping<'labour-rate'>['value']).rate), note: m.note ?? '' };
        },
        fromCells: (c) => ({ key: labourRateKey(c.scope!, c.effective_from || null), value: { rate: c.rate }, note: c.note ?? '' }),
      };
    case 'jira-role':
      return {
        columns: [col('account_id'), col('role'), note],
        toCells: (m) => ({ account_id: m.key, role: m.value as string, note: m.note ?? '' }),
        fromCells: (c) => ({ key: c.account_id!, value: c.role, note: c.note ?? '' }),
      };
  }
}

/** The header an export writes and an import expects, e.g. "vendor_number,jaggaer_supplier_number,bravo_id,note". */
export function csvColumns(db: Db, kind: MappingKind): string[] {
  return csvLayout(kind, glSegments(db)).columns.map((c) => c.name);
}

/** Every mapping of the kind as CSV text (header first, then one row per mapping in key order). */
export function exportMappingsCsv(db: Db, kind: MappingKind, opts: { bom?: boolean } = {}): string {
  const layout = csvLayout(kind, glSegments(db));
  const columns = layout.columns.map((c) => c.name);
  const rows = listMappings(db, kind).map((m) => {
    const cells = layout.toCells(m);
    return columns.map((c) => cells[c] ?? '');
  });
  return stringify([columns, ...rows], { bom: opts.bom ?? false, record_delimiter: 'unix' });
}

export interface ImportRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** The mapping's key as read (null when the row has none). */
  key: string | null;
  ok: boolean;
  /** Why the row cannot be stored: one sentence; null when it can. */
  reason: string | null;
}

export interface ImportResult {
  kind: MappingKind;
  rows: ImportRow[];
  /** Mappings added or changed. */
  stored: number;
  /** Rows that cannot be stored. */
  bad: number;
  partial: boolean;
}

/** Import size limit: a mapping table is hundreds to a few thousand rows. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const sentence = (phrase: string): string => `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}${/[.!?]$/.test(phrase) ? '' : '.'}`;

/**
 * Reads a mapping file and, when every row is good (or `partial` is set: the good rows), stores its mappings
 * in one transaction, as one undoable change. Mappings not in the file are left as they are. Throws a
 * FerryError (one sentence) when the file cannot be read at all: not CSV, a wrong header, or reference
 * data never read from CloudSuite.
 */
export function importMappingsCsv(db: Db, kind: MappingKind, text: string, opts: { partial?: boolean } = {}): ImportResult {
  const label = mappingLabels[kind];
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    throw new FerryError('invalid_input', `This file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, far more than a ${label.kind} mapping table; check that it is the right file.`);
  }
  const segments = glSegments(db);
  const layout = csvLayout(kind, segments);
  const records = readCsv(text);
  const header = records[0];
  if (!header || header.every((c) => c === '')) throw headerError(kind, layout, null);
  const names = header.map((h) => h.toLowerCase());
  const byName = new Map(layout.columns.map((c) => [c.name.toLowerCase(), c.name]));
  const columns = names.map((n) => byName.get(n));
  const missing = layout.columns.filter((c) => c.required && !names.includes(c.name.toLowerCase()));
  if (columns.some((c) => c === undefined) || new Set(names).size !== names.length || missing.length > 0) throw headerError(kind, layout, header);

  // Read when the first key that needs it is checked (a jira-project file of type: and * keys needs none).
  let ctx: ValidationContext | undefined;
  const rows: ImportRow[] = [];
  const good: { key: string; value: unknown; note: string }[] = [];
  const firstRowOf = new Map<string, number>();
  const termsOwner = kind === 'payment-terms' ? termsOwners(db) : null;
  records.slice(1).forEach((record, i) => {
    const row = i + 2;
    if (record.every((c) => c === '')) return;
    const fail = (reason: string, key: string | null = null) => rows.push({ row, key, ok: false, reason: sentence(reason) });
    if (record.length > header.length) return fail(`It has ${record.length} cells, but the first row names ${header.length} columns`);
    const cells: Record<string, string> = {};
    columns.forEach((name, c) => (cells[name!] = record[c] ?? ''));
    const empty = layout.columns.find((c) => c.required && !c.segment && cells[c.name] === '');
    if (empty) return fail(`The ${empty.name} cell is empty`);
    const input = layout.fromCells(cells);
    const parsed = parseMapping(kind, input.key, input.value, segments);
    if (!parsed.ok) return fail(parsed.reason, input.key);
    const earlier = firstRowOf.get(parsed.key);
    if (earlier !== undefined) return fail(`It repeats ${label.key} ${parsed.key} from row ${earlier}`, parsed.key);
    firstRowOf.set(parsed.key, row);
    if (input.note.length > 500) return fail('The note is longer than 500 characters', parsed.key);
    const problem = mappingKeyReference(kind, parsed.key).length === 0 ? null : mappingKeyProblem((ctx ??= loadMappingContext(db, mappingReference[kind])), kind, parsed.key);
    if (problem) return fail(problem, parsed.key);
    if (termsOwner) {
      const owner = termsOwner.get((parsed.value as string).toLowerCase());
      if (owner !== undefined && owner.key !== parsed.key) {
        return fail(`JAGGAER terms "${parsed.value as string}" are already mapped from ${owner.key}${owner.row ? ` (row ${owner.row})` : ''}; each JAGGAER text maps back to one terms code`, parsed.key);
      }
      termsOwner.set((parsed.value as string).toLowerCase(), { key: parsed.key, row });
    }
    rows.push({ row, key: parsed.key, ok: true, reason: null });
    good.push({ key: parsed.key, value: parsed.value, note: input.note });
  });
  const bad = rows.filter((r) => !r.ok).length;
  const partial = opts.partial ?? false;
  if ((bad > 0 && !partial) || good.length === 0) return { kind, rows, stored: 0, bad, partial };
  const stored = setMappings(db, kind, good, 'import').length;
  return { kind, rows, stored, bad, partial };
}

/** Who maps each JAGGAER terms text today; a stored code the file maps anew gives up its old text. */
function termsOwners(db: Db): Map<string, { key: string; row: number | null }> {
  return new Map(listMappings(db, 'payment-terms').map((m) => [m.value.toLowerCase(), { key: m.key, row: null }]));
}

function readCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, trim: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new FerryError('invalid_input', `This file is not a readable CSV file${line ? ` (line ${line}: ${err.message.replace(/^[^:]*:\s*/, '')})` : ''}; save it from the spreadsheet as "CSV UTF-8" and try again.`);
    }
    throw err;
  }
}

function headerError(kind: MappingKind, layout: Layout, header: string[] | null): FerryError {
  const optional = layout.columns.filter((c) => !c.required).map((c) => c.name);
  const may = optional.length === 0 ? '' : ` (${optional.join(' and ')} may be left out)`;
  const found = header ? `; this file's first row is "${header.join(',')}"` : '; this file is empty';
  return new FerryError(
    'invalid_input',
    `The first row of a ${mappingLabels[kind].kind} mapping file must name its columns ${layout.columns.map((c) => c.name).join(', ')}${may}${found}.`,
  );
}

