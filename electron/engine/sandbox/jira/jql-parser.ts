// JQL syntax: the part of JQL that Ferry and the webhooks use: clauses on fields (names, quoted names,
// cf[id]) with = != ~ !~ > >= < <= IN, NOT IN, IS [NOT] EMPTY, joined by AND / OR / NOT and parentheses,
// values, lists and argument-less functions, and ORDER BY. Hand-written because the sandbox needs Jira's
// error messages, which no library gives. What the fields mean is jql.ts's and the caller's business.

export class JqlError extends Error {}

export interface FieldRef {
  /** As written (unquoted), e.g. "project", "CloudSuite PO"; for cf[10050] it is "cf[10050]". */
  name: string;
  cf?: number;
}

export type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type Operand =
  | { kind: 'value'; text: string }
  | { kind: 'list'; items: Operand[] }
  | { kind: 'empty' }
  | { kind: 'function'; name: string };

export type Clause =
  | { kind: 'and' | 'or'; items: Clause[] }
  | { kind: 'not'; item: Clause }
  | { kind: 'term'; field: FieldRef; op: Operator; operand: Operand };

export interface JqlQuery {
  where: Clause | null;
  orderBy: { field: FieldRef; desc: boolean }[];
}

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '[' | ']'; at: number };

const where = (at: number): string => `(line 1, character ${at + 1})`;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const start = i++;
      let v = '';
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new JqlError(`Error in the JQL Query: The quoted string '${v}' has not been completed. ${where(start)}`);
      i++;
      out.push({ t: 'str', v, at: start });
    } else if ('()[],'.includes(c)) {
      out.push({ t: 'punct', v: c as '(' | ')' | ',' | '[' | ']', at: i++ });
    } else if ('=!~<>'.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['!=', '!~', '>=', '<='].includes(two) ? two : c;
      if (op === '!') throw new JqlError(`Error in the JQL Query: The character '!' is a reserved JQL character. ${where(i)}`);
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
    } else {
      const start = i;
      while (i < text.length && !/[\s"'()[\],=!~<>]/.test(text[i]!)) i++;
      out.push({ t: 'word', v: text.slice(start, i), at: start });
    }
  }
  return out;
}

const OPERATORS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isWord(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.t === 'word' && t.v.toLowerCase() === v;
  }

  private got(): string {
    const t = this.peek();
    return t ? `'${t.v}' ${where(t.at)}` : 'the end of the query';
  }

  parse(): JqlQuery {
    const whereClause = this.peek() && !(this.isWord('order') && this.isWord('by', 1)) ? this.or() : null;
    const orderBy: JqlQuery['orderBy'] = [];
    if (this.isWord('order')) {
      this.i++;
      if (!this.isWord('by')) throw new JqlError(`Error in the JQL Query: Expecting 'BY' but got ${this.got()}.`);
      this.i++;
      do {
        if (orderBy.length) this.i++; // the comma
        const field = this.field();
        let desc = false;
        if (this.isWord('asc') || this.isWord('desc')) desc = this.tokens[this.i++]!.v.toLowerCase() === 'desc';
        orderBy.push({ field, desc });
      } while (this.peek()?.v === ',');
    }
    if (this.peek()) {
      const hint = whereClause ? "Expecting either 'OR' or 'AND'" : 'Expecting a field name';
      throw new JqlError(`Error in the JQL Query: ${hint} but got ${this.got()}.`);
    }
    return { where: whereClause, orderBy };
  }

  private or(): Clause {
    const items = [this.and()];
    while (this.isWord('or')) {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): Clause {
    const items = [this.not()];
    while (this.isWord('and')) {
      this.i++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private not(): Clause {
    if (this.isWord('not')) {
      this.i++;
      return { kind: 'not', item: this.not() };
    }
    if (this.peek()?.v === '(' && this.peek()?.t === 'punct') {
      this.i++;
      const inner = this.or();
      if (this.peek()?.v !== ')') throw new JqlError(`Error in the JQL Query: Expecting ')' but got ${this.got()}.`);
      this.i++;
      return inner;
    }
    return this.term();
  }

  private field(): FieldRef {
    const t = this.peek();
    if (!t || (t.t !== 'word' && t.t !== 'str')) throw new JqlError(`Error in the JQL Query: Expecting a field name but got ${this.got()}.`);
    this.i++;
    if (t.t === 'word' && t.v.toLowerCase() === 'cf' && this.peek()?.v === '[') {
      const id = this.peek(1);
      if (id?.t !== 'word' || !/^\d+$/.test(id.v) || this.peek(2)?.v !== ']') {
        throw new JqlError(`Error in the JQL Query: Expecting a custom field id in 'cf[]' ${where(t.at)}.`);
      }
      this.i += 3;
      return { name: `cf[${id.v}]`, cf: Number(id.v) };
    }
    return { name: t.v };
  }

  private operator(): Operator {
    const t = this.peek();
    if (t?.t === 'op') {
      this.i++;
      return t.v as Operator;
    }
    if (this.isWord('in')) {
      this.i++;
      return 'in';
    }
    if (this.isWord('not') && this.isWord('in', 1)) {
      this.i += 2;
      return 'not in';
    }
    if (this.isWord('is')) {
      this.i++;
      if (this.isWord('not')) {
        this.i++;
        return 'is not';
      }
      return 'is';
    }
    throw new JqlError(`Error in the JQL Query: Expecting operator but got ${this.got()}. ${OPERATORS}`);
  }

  private term(): Clause {
    const field = this.field();
    const op = this.operator();
    return { kind: 'term', field, op, operand: this.operand(op) };
  }

  private operand(op: Operator): Operand {
    const t = this.peek();
    if (!t) throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got the end of the query.`);
    if (op === 'is' || op === 'is not') {
      if (t.t === 'word' && ['empty', 'null'].includes(t.v.toLowerCase())) {
        this.i++;
        return { kind: 'empty' };
      }
      throw new JqlError(`Error in the JQL Query: Expecting 'EMPTY' or 'NULL' after '${op.toUpperCase()}' but got ${this.got()}.`);
    }
    if (op === 'in' || op === 'not in') {
      if (t.v !== '(' || t.t !== 'punct') throw new JqlError(`Error in the JQL Query: Expecting '(' but got ${this.got()}.`);
      this.i++;
      const items: Operand[] = [];
      while (this.peek()?.v !== ')') {
        if (items.length) {
          if (this.peek()?.v !== ',') throw new JqlError(`Error in the JQL Query: Expecting ',' or ')' but got ${this.got()}.`);
          this.i++;
        }
        items.push(this.single());
      }
      this.i++;
      return { kind: 'list', items };
    }
    return this.single();
  }

  private single(): Operand {
    const t = this.peek();
    if (!t || t.t === 'op' || t.t === 'punct') {
      throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got ${this.got()}.`);
    }
    if (t.t === 'word' && ['and', 'or', 'not', 'in', 'is', 'order', 'empty', 'null'].includes(t.v.toLowerCase())) {
      if (['empty', 'null'].includes(t.v.toLowerCase())) {
        this.i++;
        return { kind: 'empty' };
      }
      throw new JqlError(`Error in the JQL Query: '${t.v}' is a reserved JQL word. You must surround it in quotation marks to use it in a query. ${where(t.at)}`);
    }
    this.i++;
    if (t.t === 'word' && this.peek()?.v === '(') {
      if (this.peek(1)?.v !== ')') throw new JqlError(`Error in the JQL Query: The sandbox supports JQL functions without arguments only ${where(t.at)}.`);
      this.i += 2;
      return { kind: 'function', name: t.v };
    }
    return { kind: 'value', text: t.v };
  }
}

export function parseJql(text: string): JqlQuery {
  return new Parser(tokenize(text)).parse();
}

/** Calls `visit` for every field clause of the query. */
export function forEachTerm(clause: Clause | null, visit: (term: Extract<Clause, { kind: 'term' }>) => void): void {
  if (!clause) return;
  if (clause.kind === 'term') visit(clause);
  else if (clause.kind === 'not') forEachTerm(clause.item, visit);
  else clause.items.forEach((c) => forEachTerm(c, visit));
}
