import { JqlError, parseJql, type Clause, type FieldRef, type JqlQuery, type Operand, type Operator } from './jql-parser';
import { localToInstant } from './time';

// JQL evaluation against in-memory items. Field meaning is supplied by the caller (search.ts), so this file
// knows no issue model; it owns Jira's rules: unknown fields and (for some fields) unknown values are
// errors, text fields take only ~ (a word search), != and NOT IN never match an empty field, dates are
// literals in the searcher's zone, periods (-1d) or now()/startOfDay()/endOfDay().

export { JqlError, parseJql, forEachTerm } from './jql-parser';
export type { Clause, FieldRef, JqlQuery, Operator } from './jql-parser';

export type FieldType = 'exact' | 'text' | 'number' | 'date';

export interface JqlField<T> {
  /** The field's name in error messages. */
  name: string;
  type: FieldType;
  /** The item's values: exact → canonical strings, text → text, number → numbers, date → epoch ms. None = EMPTY. */
  values(item: T): (string | number)[];
  /**
   * exact fields: the canonical form of a literal (e.g. a project key or id → the project id), or undefined
   * when the value does not exist — then `unknownValue` is the error Jira gives, or matching simply fails.
   */
  resolve?(literal: string): string | undefined;
  unknownValue?(literal: string): string;
  /** Sort key for ORDER BY; absent means the field cannot be ordered by. */
  sortKey?(item: T): string | number | null;
}

export interface JqlSchema<T> {
  field(ref: FieldRef): JqlField<T> | undefined;
  /** The searcher's time zone, for date literals. */
  timeZone: string;
  /** The searcher, for currentUser(). */
  currentUser?: string;
  now: number;
}

export interface CompiledJql<T> {
  query: JqlQuery;
  /** False for an empty query or one with only ORDER BY: Jira refuses those in /search/jql. */
  bounded: boolean;
  matches(item: T): boolean;
  /** ORDER BY comparator, or null when the query has no ORDER BY. */
  compare: ((a: T, b: T) => number) | null;
}

const ALLOWED: Record<FieldType, Operator[]> = {
  exact: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  text: ['~', '!~', 'is', 'is not'],
  number: ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not'],
  date: ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not'],
};

const norm = (v: string | number): string | number => (typeof v === 'string' ? v.toLowerCase() : v);

const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}*?]+/u).filter(Boolean);

/** Jira's ~ is a word search: every word of the query must occur in the field (a trailing * matches a prefix). */
function textContains(haystack: string, needle: string): boolean {
  const have = words(haystack);
  return words(needle).every((w) => (w.endsWith('*') ? have.some((h) => h.startsWith(w.slice(0, -1))) : have.includes(w)));
}

const DATE_FORMATS = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

function parseDateLiteral(text: string, schema: { timeZone: string; now: number }): number | undefined {
  const abs = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (abs) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(abs[i] ?? 0)) as [number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
    return localToInstant(schema.timeZone, y, mo, d, h, mi);
  }
  const period = text.trim().toLowerCase();
  if (!/^[-+]?(\s*\d+\s*[wdhm])+$/.test(period)) return undefined;
  const sign = period.startsWith('-') ? -1 : 1;
  const size: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };
  let ms = 0;
  for (const m of period.matchAll(/(\d+)\s*([wdhm])/g)) ms += Number(m[1]) * size[m[2]!]!;
  return schema.now + sign * ms;
}

function dayStart(schema: { timeZone: string; now: number }): number {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: schema.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const [y, m, d] = f.format(schema.now).split('-').map(Number) as [number, number, number];
  return localToInstant(schema.timeZone, y, m, d, 0, 0);
}

export function compileJql<T>(text: string, schema: JqlSchema<T>): CompiledJql<T> {
  const query = parseJql(text);
  const resolveField = (ref: FieldRef): JqlField<T> => {
    const f = schema.field(ref);
    if (!f) throw new JqlError(`Field '${ref.name}' does not exist or you do not have permission to view it.`);
    return f;
  };

  const literal = (field: JqlField<T>, operand: Operand): string | number | null => {
    if (operand.kind === 'empty') return null;
    if (operand.kind === 'list') throw new JqlError(`A list of values cannot be used with this operator on field '${field.name}'.`);
    if (operand.kind === 'function') {
      const fn = operand.name.toLowerCase();
      if (fn === 'currentuser' && field.type === 'exact' && field.resolve && schema.currentUser) return field.resolve(schema.currentUser) ?? null;
      if (field.type !== 'date' || !['now', 'startofday', 'endofday'].includes(fn)) {
        throw new JqlError(`Unable to find JQL function '${operand.name}()'.`);
      }
      if (fn === 'now') return schema.now;
      return fn === 'startofday' ? dayStart(schema) : dayStart({ ...schema, now: schema.now + 86_400_000 }) - 1;
    }
    const v = operand.text;
    switch (field.type) {
      case 'text':
        return v;
      case 'number': {
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) throw new JqlError(`The value '${v}' is invalid for the field '${field.name}'.`);
        return n;
      }
      case 'date': {
        const t = parseDateLiteral(v, schema);
        if (t === undefined) throw new JqlError(`Date value '${v}' for field '${field.name}' is invalid. ${DATE_FORMATS}`);
        return t;
      }
      case 'exact': {
        if (!field.resolve) return v.toLowerCase();
        const canonical = field.resolve(v);
        if (canonical === undefined && field.unknownValue) throw new JqlError(field.unknownValue(v));
        return canonical ?? v.toLowerCase();
      }
    }
  };

  const compileTerm = (term: Extract<Clause, { kind: 'term' }>): ((item: T) => boolean) => {
    const field = resolveField(term.field);
    const { op } = term;
    if (!ALLOWED[field.type].includes(op)) {
      throw new JqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field.name}' field.`);
    }
    if (op === 'is' || op === 'is not') {
      if (term.operand.kind !== 'empty') throw new JqlError(`The operator '${op.toUpperCase()}' only supports 'EMPTY' for field '${field.name}'.`);
      return op === 'is' ? (item) => field.values(item).length === 0 : (item) => field.values(item).length > 0;
    }
    if (op === 'in' || op === 'not in') {
      const items = term.operand.kind === 'list' ? term.operand.items : [term.operand];
      const wanted = items.map((o) => literal(field, o));
      const hasEmpty = wanted.includes(null);
      const set = new Set(wanted.filter((w) => w !== null).map(norm));
      if (op === 'in') {
        return (item) => {
          const vs = field.values(item);
          return (hasEmpty && vs.length === 0) || vs.some((v) => set.has(norm(v)));
        };
      }
      // NOT IN, like !=, never matches an empty field.
      return (item) => {
        const vs = field.values(item);
        return vs.length > 0 && !vs.some((v) => set.has(norm(v)));
      };
    }
    const want = literal(field, term.operand);
    if (want === null) {
      if (op === '=') return (item) => field.values(item).length === 0;
      if (op === '!=') return (item) => field.values(item).length > 0;
      throw new JqlError(`The operator '${op}' does not support the 'EMPTY' value for field '${field.name}'.`);
    }
    const w = norm(want);
    switch (op) {
      case '=':
        return (item) => field.values(item).some((v) => norm(v) === w);
      case '!=':
        return (item) => {
          const vs = field.values(item);
          return vs.length > 0 && !vs.some((v) => norm(v) === w);
        };
      case '~':
        return (item) => field.values(item).some((v) => textContains(String(v), String(want)));
      case '!~':
        return (item) => {
          const vs = field.values(item);
          return vs.length > 0 && !vs.some((v) => textContains(String(v), String(want)));
        };
      default: {
        const cmp = { '>': (a: number) => a > Number(w), '>=': (a: number) => a >= Number(w), '<': (a: number) => a < Number(w), '<=': (a: number) => a <= Number(w) }[op];
        return (item) => field.values(item).some((v) => cmp(Number(v)));
      }
    }
  };

  const compile = (clause: Clause): ((item: T) => boolean) => {
    if (clause.kind === 'term') return compileTerm(clause);
    if (clause.kind === 'not') {
      const inner = compile(clause.item);
      return (item) => !inner(item);
    }
    const parts = clause.items.map(compile);
    return clause.kind === 'and' ? (item) => parts.every((p) => p(item)) : (item) => parts.some((p) => p(item));
  };

  const matches = query.where ? compile(query.where) : () => true;
  const sorters = query.orderBy.map(({ field: ref, desc }) => {
    const field = resolveField(ref);
    if (!field.sortKey) throw new JqlError(`Field '${field.name}' does not support sorting.`);
    return { key: field.sortKey.bind(field), desc };
  });
  const compare = sorters.length
    ? (a: T, b: T): number => {
        for (const { key, desc } of sorters) {
          const c = compareKeys(key(a), key(b));
          if (c !== 0) return desc ? -c : c;
        }
        return 0;
      }
    : null;
  return { query, bounded: query.where !== null, matches, compare };
}

/** Empty values sort after everything ascending (and so first descending), as in Jira. */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}
