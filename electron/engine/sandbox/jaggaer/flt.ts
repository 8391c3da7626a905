// The `flt` query parameter of J1P list endpoints. Published integrations send FIQL-like filters joined by
// `;` (AND): `TYPE==SELLER;BRAVOID==123`, `extUniqueCode==…`, `rfxId=in=(1,2)`, `LASTMODTIME>=…`. Field
// names are case-insensitive. An unknown field or an unreadable value is an error the caller turns into a
// returnCode ≠ 0 answer, so a client with a typo learns it instead of silently getting everything.
//
// Timestamps (LASTMODTIME, lastUpdate) accept ISO 8601 with or without milliseconds and zone
// (`2026-01-31T12:00:00.000Z`, `2026-01-31T12:00:00+01:00`, no zone = UTC), `2026-01-31 12:00:00[.fff]`
// (UTC), a bare date (`2026-01-31`, midnight UTC) and epoch milliseconds. The real format is not public; a
// client should send ISO 8601 UTC with milliseconds, which is what JAGGAER's own timestamps look like.

export type FieldType = 'string' | 'number' | 'date';
export interface FieldDef<T> {
  type: FieldType;
  get: (rec: T) => string | number | null;
}

export class FltError extends Error {}

type Op = '==' | '!=' | '>=' | '<=' | '=ge=' | '=le=' | '=gt=' | '=lt=' | '=in=' | '=out=' | '>' | '<';
const CLAUSE = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(==|!=|>=|<=|=ge=|=le=|=gt=|=lt=|=in=|=out=|>|<)(.*)$/;

/** Milliseconds since the epoch, or NaN. */
export function parseTimestamp(raw: string): number {
  const v = raw.trim();
  if (/^\d{13}$/.test(v)) return Number(v);
  // A `+01:00` offset sent unencoded in a query string arrives as a space.
  const fixed = v.replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:?\d{2})$/, '$1+$2');
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(fixed);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return NaN;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')));
  if (new Date(t).getUTCDate() !== d) return NaN;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    t -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  return t;
}

function unquote(v: string): string {
  const s = v.trim();
  return /^(['"]).*\1$/.test(s) && s.length >= 2 ? s.slice(1, -1) : s;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

type Test<T> = (rec: T) => boolean;

function clause<T>(src: string, fields: Record<string, FieldDef<T>>): Test<T> {
  const m = CLAUSE.exec(src);
  if (!m) throw new FltError(`Invalid filter expression '${src}'`);
  const name = m[1]!;
  const op = m[2] as Op;
  const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) throw new FltError(`Unknown filter field '${name}'. Known fields: ${Object.keys(fields).join(', ')}`);
  const field = fields[key]!;
  const rawValue = m[3]!;

  const toComparable = (v: string): number | string => {
    if (field.type === 'date') {
      const t = parseTimestamp(v);
      if (Number.isNaN(t)) throw new FltError(`Invalid timestamp '${v}' for ${key}; use ISO 8601, e.g. 2026-01-31T12:00:00.000Z`);
      return t;
    }
    if (field.type === 'number') {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new FltError(`Invalid number '${v}' for ${key}`);
      return n;
    }
    return v;
  };
  const recValue = (rec: T): number | string | null => {
    const v = field.get(rec);
    if (v === null || v === '') return null;
    if (field.type === 'date') return typeof v === 'number' ? v : Date.parse(v);
    if (field.type === 'number') return Number(v);
    return String(v);
  };
  const equals = (a: number | string | null, pattern: string): boolean => {
    if (pattern === '') return a === null;
    if (a === null) return false;
    if (field.type === 'string') return pattern.includes('*') ? wildcard(pattern).test(String(a)) : String(a).toLowerCase() === pattern.toLowerCase();
    return a === toComparable(pattern);
  };

  if (op === '=in=' || op === '=out=') {
    const list = /^\s*\((.*)\)\s*$/.exec(rawValue);
    if (!list) throw new FltError(`${op} needs a list in parentheses, e.g. ${key}=in=(a,b)`);
    const values = list[1]!.split(',').map(unquote);
    values.forEach((v) => v !== '' && toComparable(v));
    return (rec) => values.some((v) => equals(recValue(rec), v)) === (op === '=in=');
  }
  const value = unquote(rawValue);
  if (op === '==') {
    if (value !== '') toComparable(value);
    return (rec) => equals(recValue(rec), value);
  }
  if (op === '!=') {
    if (value !== '') toComparable(value);
    return (rec) => !equals(recValue(rec), value);
  }
  const target = toComparable(value);
  const cmp = (a: number | string, b: number | string): number =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
  const ok: Record<string, (c: number) => boolean> = {
    '>=': (c) => c >= 0, '=ge=': (c) => c >= 0, '<=': (c) => c <= 0, '=le=': (c) => c <= 0,
    '>': (c) => c > 0, '=gt=': (c) => c > 0, '<': (c) => c < 0, '=lt=': (c) => c < 0,
  };
  const test = ok[op]!;
  return (rec) => {
    const a = recValue(rec);
    return a !== null && !(typeof a === 'number' && Number.isNaN(a)) && test(cmp(a, target));
  };
}

/** Compiles a `flt` value; an absent or empty filter matches everything. Throws FltError. */
export function compileFlt<T>(flt: string | undefined, fields: Record<string, FieldDef<T>>): Test<T> {
  const parts = (flt ?? '').split(';').filter((p) => p.trim() !== '');
  const tests = parts.map((p) => clause(p, fields));
  return (rec) => tests.every((t) => t(rec));
}

