import { z } from 'zod';
import type { GlJournal, GlJournalLine } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { cents } from './finance-checks';

// GLS840MI AddBatchLine carries a whole GL line in one string, PARM, whose layout each tenant defines for its
// interface (INTN); Infor publishes none (contracts/cloudsuite-m3.json: AddBatchLine takes CONO, KEY1, LINE,
// PARM, DIVI). So the M3 administrator tells Ferry the layout as a template: text with placeholders, each
// `{name}` or `{name:width}` (docs/m3-gl-parm.md). With a width, text is padded on the right and numbers on
// the left with spaces, and a value that does not fit is refused rather than cut. There is no default: a
// layout Ferry guessed would post to the wrong accounts.

export const PARM_FIELDS = {
  date: 'the accounting date, yyyyMMdd',
  account: 'the account (accounting dimension 1)',
  costCenter: 'the cost center (accounting dimension 2), blank when none',
  project: 'the project (accounting dimension 3), blank when none',
  amount: 'the signed amount, debit positive and credit negative, two decimals with a point (-1200.50)',
  debit: 'the amount of a debit line, blank on a credit line',
  credit: 'the amount of a credit line (without sign), blank on a debit line',
  text: 'the line text (the journal description when the line has none)',
  reference: "Ferry's reference of the journal (the batch key KEY1)",
  line: 'the line number within the batch',
  blank: 'spaces only (a field of the layout Ferry leaves empty); needs a width',
} as const;
export type ParmField = keyof typeof PARM_FIELDS;

const NUMERIC: ReadonlySet<ParmField> = new Set(['amount', 'debit', 'credit', 'line']);
const PLACEHOLDER = /\{([A-Za-z]+)(?::(\d{1,3}))?\}/g;
/** Not published; generous enough for every layout seen, small enough to catch a pasted file. */
const MAX_TEMPLATE = 1000;

export interface ParmPart {
  field: ParmField | null;
  /** Literal text when `field` is null. */
  literal: string;
  width: number | null;
}

/** The template's problem in a sentence, or null when it can be used. */
function templateProblem(template: string): string | null {
  if (template.length === 0) return 'it is empty';
  if (template.length > MAX_TEMPLATE) return `it is longer than ${MAX_TEMPLATE} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(template)) return 'it holds a control character (a tab or line break)';
  const seen = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) {
    const [, name, width] = m;
    if (!(name! in PARM_FIELDS)) return `{${name}} is not a placeholder Ferry fills (use ${Object.keys(PARM_FIELDS).map((f) => `{${f}}`).join(', ')})`;
    if (name !== 'blank' && seen.has(name!)) return `{${name}} appears twice`;
    if (width !== undefined && Number(width) === 0) return `{${name}:0} has no width`;
    if (name === 'blank' && width === undefined) return '{blank} needs a width, e.g. {blank:10}';
    seen.add(name!);
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return 'it has a brace that is not part of a placeholder such as {account:10}';
  if (!seen.has('account')) return 'it has no {account}';
  if (!seen.has('date')) return 'it has no {date}';
  if (!seen.has('amount') && !(seen.has('debit') && seen.has('credit'))) return 'it has no {amount} (or {debit} and {credit})';
  return null;
}

/** A PARM template as a connection setting: refused with the reason when Ferry could not fill it. */
export const glParmTemplate = z.string().superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a PARM template Ferry can use: ${problem}` });
});

export function parseParmTemplate(template: string): ParmPart[] {
  const problem = templateProblem(template);
  if (problem) throw new Error(`PARM template: ${problem}`);
  const parts: ParmPart[] = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push({ field: null, literal: template.slice(at, m.index), width: null });
    parts.push({ field: m[1] as ParmField, literal: '', width: m[2] === undefined ? null : Number(m[2]) });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push({ field: null, literal: template.slice(at), width: null });
  return parts;
}

const amount = (c: number): string => `${c < 0 ? '-' : ''}${(Math.abs(c) / 100).toFixed(2)}`;

function valueOf(field: ParmField, j: GlJournal, l: GlJournalLine, line: number): string {
  const c = cents(l.amount);
  switch (field) {
    case 'date':
      return j.date.replace(/-/g, '');
    case 'account':
      return l.account;
    case 'costCenter':
      return l.costCenter ?? '';
    case 'project':
      return l.project ?? '';
    case 'amount':
      return amount(c);
    case 'debit':
      return c > 0 ? amount(c) : '';
    case 'credit':
      return c < 0 ? amount(-c) : '';
    case 'text':
      return l.description ?? j.description;
    case 'reference':
      return j.reference;
    case 'line':
      return String(line);
    case 'blank':
      return '';
  }
}

/** The PARM of one journal line; a value wider than its place is refused, naming the field. */
export function buildParm(parts: readonly ParmPart[], j: GlJournal, lineIndex: number): string {
  const l = j.lines[lineIndex]!;
  return parts
    .map((p) => {
      if (!p.field) return p.literal;
      const v = valueOf(p.field, j, l, lineIndex + 1);
      if (p.width === null) return v;
      if (v.length > p.width) {
        throw new ConnectorError(
          'parm_overflow',
          `Line ${lineIndex + 1} of journal ${j.reference}: ${PARM_FIELDS[p.field]} "${v}" is ${v.length} characters, but the PARM layout gives it ${p.width}. Ferry did not send the journal; check the template with "ferry connections m3-gl-parm".`,
          { system: 'CloudSuite', retryable: false, detail: { field: p.field, line: lineIndex + 1 } },
        );
      }
      return NUMERIC.has(p.field) ? v.padStart(p.width) : v.padEnd(p.width);
    })
    .join('');
}

/** A sample journal line, the same every time, for previews. */
export const SAMPLE_JOURNAL: GlJournal = {
  reference: 'FERRY:WL-SAMPLE',
  date: '2026-11-30',
  description: 'Labour, week 48',
  lines: [
    { account: '650500', costCenter: 'CC500', project: 'PRJ001', amount: 1200.5, description: 'Hours x rate' },
    { account: '215000', costCenter: null, project: null, amount: -1200.5, description: null },
  ],
};

/** Where each placeholder lands (1-based, inclusive), for a person comparing with the tenant's layout. */
export function parmPositions(parts: readonly ParmPart[], j: GlJournal = SAMPLE_JOURNAL): string[] {
  const out: string[] = [];
  let at = 1;
  for (const p of parts) {
    const len = p.field ? (p.width ?? valueOf(p.field, j, j.lines[0]!, 1).length) : p.literal.length;
    if (p.field && p.field !== 'blank') out.push(`${p.field} ${at}–${at + len - 1}${p.width === null ? ' (as long as the value)' : ''}`);
    at += len;
  }
  return out;
}

/** The PARM of the sample journal's debit line, and where each field sits, in one sentence. */
export function previewParm(template: string): string {
  const parts = parseParmTemplate(template);
  const built = buildParm(parts, SAMPLE_JOURNAL, 0);
  return `"${built}" (${built.length} characters; ${parmPositions(parts).join(', ')}) for the sample line ${SAMPLE_JOURNAL.lines[0]!.account} / ${SAMPLE_JOURNAL.lines[0]!.costCenter} / ${SAMPLE_JOURNAL.lines[0]!.project}, 1200.50 on ${SAMPLE_JOURNAL.date}`;
}
