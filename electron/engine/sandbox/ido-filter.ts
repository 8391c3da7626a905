// The subset of SQL WHERE that Mongoose IDO filters take and Ferry sends: comparisons, AND/OR/NOT,
// parentheses, LIKE, IN, IS [NOT] NULL, N'…' strings and date literals. Hand-written because no library
// evaluates this dialect against in-memory rows; it is small, and the sandbox needs exact error behaviour
// (an unknown property or a syntax error must come back as Success:false, like the real server).

export type PropertyType = 'string' | 'decimal' | 'int' | 'date';
export type Row = Record<string, string | null>;
export type Predicate = (row: Row) => boolean;
/** SQL's three-valued logic: null is "unknown" (a comparison with NULL), which NOT leaves unknown. */
type Truth = boolean | null;
type Test = (row: Row) => Truth;

export class FilterError extends Error {}

type Token =
  | { t: 'ident'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'IS', 'NULL']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ t: 'punct', v: c }); i++; continue; }
    if ((c === 'N' || c === 'n') && src[i + 1] === "'") { i++; continue; }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError('Unclosed quotation mark in filter');
        if (src[i] === "'") {
          if (src[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    const op = /^(<>|!=|<=|>=|=|<|>)/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[1]! === '!=' ? '<>' : op[1]! }); i += op[1]!.length; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) { out.push({ t: 'ident', v: id[0] }); i += id[0].length; continue; }
    throw new FilterError(`Incorrect syntax near '${src.slice(i, i + 10)}'`);
  }
  return out;
}

export function compileFilter(src: string, types: Record<string, PropertyType>): Predicate {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKw = (kw: string) => { const t = peek(); return t?.t === 'ident' && t.v.toUpperCase() === kw; };
  const expectKw = (kw: string) => { if (!isKw(kw)) throw new FilterError(`Expected ${kw} in filter`); pos++; };
  const expectPunct = (p: string) => { const t = peek(); if (t?.t !== 'punct' || t.v !== p) throw new FilterError(`Expected '${p}' in filter`); pos++; };

  const orExpr = (): Test => {
    let left = andExpr();
    while (isKw('OR')) {
      pos++;
      const l = left, r = andExpr();
      left = (row) => { const a = l(row), b = r(row); return a === true || b === true ? true : a === null || b === null ? null : false; };
    }
    return left;
  };
  const andExpr = (): Test => {
    let left = notExpr();
    while (isKw('AND')) {
      pos++;
      const l = left, r = notExpr();
      left = (row) => { const a = l(row), b = r(row); return a === false || b === false ? false : a === null || b === null ? null : true; };
    }
    return left;
  };
  const notExpr = (): Test => {
    if (isKw('NOT')) { pos++; const inner = notExpr(); return (row) => { const v = inner(row); return v === null ? null : !v; }; }
    const t = peek();
    if (t?.t === 'punct' && t.v === '(') { pos++; const e = orExpr(); expectPunct(')'); return e; }
    return predicate();
  };
  const literal = (): string => {
    const t = tokens[pos++];
    if (t?.t === 'str' || t?.t === 'num') return t.v;
    throw new FilterError('Expected a value in filter');
  };
  const isNull = (v: string | null | undefined): v is null | undefined => v === null || v === undefined;
  const predicate = (): Test => {
    const t = tokens[pos++];
    if (t?.t !== 'ident' || KEYWORDS.has(t.v.toUpperCase())) throw new FilterError('Expected a property name in filter');
    const name = Object.keys(types).find((k) => k.toLowerCase() === t.v.toLowerCase());
    if (!name) throw new FilterError(`Invalid column name '${t.v}'`);
    const type = types[name]!;
    if (isKw('IS')) {
      pos++;
      const negate = isKw('NOT') ? (pos++, true) : false;
      expectKw('NULL');
      return (row) => (row[name] === null || row[name] === undefined) !== negate;
    }
    const negate = isKw('NOT') ? (pos++, true) : false;
    if (isKw('IN')) {
      pos++;
      expectPunct('(');
      const values = [literal()];
      while (peek()?.t === 'punct' && peek()!.v === ',') { pos++; values.push(literal()); }
      expectPunct(')');
      return (row) => (isNull(row[name]) ? null : values.some((v) => compare(row[name]!, v, type) === 0) !== negate);
    }
    if (isKw('LIKE')) {
      pos++;
      const pattern = literal();
      const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
      return (row) => (isNull(row[name]) ? null : re.test(row[name]!) !== negate);
    }
    if (negate) throw new FilterError('Expected IN or LIKE after NOT');
    const op = tokens[pos++];
    if (op?.t !== 'op') throw new FilterError(`Expected a comparison after '${name}'`);
    const value = literal();
    if (type === 'date' && Number.isNaN(toTime(value))) throw new FilterError(`Conversion failed when converting date and/or time from character string '${value}'`);
    return (row) => {
      const v = row[name];
      if (isNull(v)) return null;
      const c = compare(v, value, type);
      switch (op.v) {
        case '=': return c === 0;
        case '<>': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        default: return c >= 0;
      }
    };
  };

  if (tokens.length === 0) return () => true;
  const result = orExpr();
  if (pos !== tokens.length) throw new FilterError(`Incorrect syntax near '${JSON.stringify(tokens[pos])}'`);
  return (row) => result(row) === true;
}

/** Accepts both the filter literal form (2026-02-01 00:00:00.000) and the IDO value form (20260201 00:00:00.000). */
export function toTime(v: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(v.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  const t = Date.UTC(y, mo - 1, d, h, mi, s, +(m[7] ?? '0').padEnd(3, '0'));
  // Date.UTC rolls 2026-13-45 over into 2027; SQL Server refuses it, and so does the sandbox.
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
  return t;
}

export function compare(a: string, b: string, type: PropertyType): number {
  if (type === 'date') return Math.sign(toTime(a) - toTime(b));
  if (type === 'decimal' || type === 'int') return Math.sign(Number(a) - Number(b));
  // SQL Server's default collation is case-insensitive; trailing spaces do not count.
  const x = a.trimEnd().toLowerCase();
  const y = b.trimEnd().toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
