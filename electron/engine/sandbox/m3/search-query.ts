import { M3Error, type M3Record } from './types';

// SQRY, the query of M3's Search transactions: Lucene-style terms over the output fields.
//   PUNO:PO0001*                      wildcard (* any run, ? one character), case-insensitive
//   SUNO:V001000 PUDT:[20260101 TO *]  terms next to each other must all match; [a TO b] is inclusive, * open
//   SUNO:V001000 OR SUNO:V001010      OR, AND, NOT / -term, parentheses, "quoted values"
//   PO00010003                        a bare value matches any of the default fields
// Hand-written because the grammar is tiny and the sandbox needs M3's behaviour on a bad query: a refusal
// naming SQRY, not an exception.

type Token = { t: 'word' | 'quoted'; v: string } | { t: 'punct'; v: '(' | ')' | '[' | ']' | ':' | '-' };
type Test = (r: M3Record) => boolean;

const bad = (why: string) => new M3Error(`Search query is invalid: ${why}`, 'SQRY', 'WSQ0204');

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ':') { out.push({ t: 'punct', v: c }); i++; continue; }
    if (c === '-' && (out.length === 0 || /\s|\(/.test(src[i - 1] ?? ' '))) { out.push({ t: 'punct', v: '-' }); i++; continue; }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw bad('unclosed quotation mark');
      out.push({ t: 'quoted', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !/[\s()[\]:"]/.test(src[j]!)) j++;
    out.push({ t: 'word', v: src.slice(i, j) });
    i = j;
  }
  return out;
}

function wildcard(pattern: string): (v: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return (v) => re.test(v);
}

/** Compiles a query over the given fields; a bare value is looked for in `defaults`. */
export function compileSearch(query: string, fields: readonly string[], defaults: readonly string[]): Test {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (v: string) => { const t = peek(); return t?.t === 'word' && t.v.toUpperCase() === v; };
  const punct = (v: string) => { const t = peek(); return t?.t === 'punct' && t.v === v; };
  const value = (): string => {
    const t = tokens[pos++];
    if (!t || t.t === 'punct') throw bad('a value is missing');
    return t.v;
  };

  const or = (): Test => {
    const parts = [and()];
    while (isWord('OR')) { pos++; parts.push(and()); }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((p) => p(r));
  };
  const and = (): Test => {
    const parts = [unary()];
    for (;;) {
      if (isWord('AND')) { pos++; parts.push(unary()); continue; }
      const t = peek();
      if (!t || punct(')') || isWord('OR')) break;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((p) => p(r));
  };
  const unary = (): Test => {
    if (isWord('NOT') || punct('-')) { pos++; const inner = unary(); return (r) => !inner(r); }
    return primary();
  };
  const primary = (): Test => {
    if (punct('(')) {
      pos++;
      const inner = or();
      if (!punct(')')) throw bad('a closing parenthesis is missing');
      pos++;
      return inner;
    }
    const first = value();
    if (!punct(':')) {
      const match = wildcard(first);
      return (r) => defaults.some((f) => match(r[f] ?? ''));
    }
    pos++;
    const field = first.toUpperCase();
    if (!fields.includes(field)) throw bad(`field ${field} cannot be searched (fields: ${fields.join(', ')})`);
    if (punct('[')) {
      pos++;
      const from = value();
      if (!isWord('TO')) throw bad('a range needs TO');
      pos++;
      const to = value();
      if (!punct(']')) throw bad('a range needs a closing ]');
      pos++;
      return (r) => {
        const v = r[field] ?? '';
        return (from === '*' || v >= from) && (to === '*' || v <= to);
      };
    }
    const match = wildcard(value());
    return (r) => match(r[field] ?? '');
  };

  if (tokens.length === 0) throw bad('it is empty');
  const test = or();
  if (pos < tokens.length) throw bad(`unexpected '${tokens[pos]!.v}'`);
  return test;
}
