import { describe, it, expect } from 'vitest';
import { compare, compileFilter, FilterError, toTime } from '../../electron/engine/sandbox/ido-filter';
import type { PropertyType, Row } from '../../electron/engine/sandbox/ido-filter';

const types: Record<string, PropertyType> = {
  PoNum: 'string',
  VendNum: 'string',
  Stat: 'string',
  Name: 'string',
  OrderDate: 'date',
  ItemCost: 'decimal',
  PoLine: 'int',
};

const rows: Row[] = [
  { PoNum: 'PO0001', VendNum: 'V100', Stat: 'O', Name: "O'Brien Supply", OrderDate: '20260115 09:30:00.000', ItemCost: '9.00000000', PoLine: '1' },
  { PoNum: 'PO0002', VendNum: 'V200', Stat: 'C', Name: 'Acme Parts', OrderDate: '20260201 00:00:00.000', ItemCost: '10.00000000', PoLine: '2' },
  { PoNum: 'PO0003', VendNum: 'V100', Stat: 'O', Name: 'acme tools', OrderDate: '20260201 10:00:00.000', ItemCost: '12.50000000', PoLine: '10' },
  { PoNum: 'PO0004', VendNum: 'V300', Stat: null, Name: 'Zenith_Co', OrderDate: null, ItemCost: '100.00000000', PoLine: '3' },
];

/** The PoNums of the rows a filter keeps. */
const pick = (filter: string): string[] => {
  const p = compileFilter(filter, types);
  return rows.filter(p).map((r) => r.PoNum ?? '');
};

function filterError(filter: string): FilterError {
  try {
    compileFilter(filter, types);
  } catch (err) {
    expect(err).toBeInstanceOf(FilterError);
    return err as FilterError;
  }
  throw new Error(`compileFilter accepted ${filter}`);
}

describe('compileFilter: comparisons', () => {
  it('=, <> and != on strings', () => {
    expect(pick("VendNum = N'V100'")).toEqual(['PO0001', 'PO0003']);
    expect(pick("VendNum <> N'V100'")).toEqual(['PO0002', 'PO0004']);
    expect(pick("VendNum != N'V100'")).toEqual(['PO0002', 'PO0004']);
  });

  it('<, <=, >, >= on ints', () => {
    expect(pick('PoLine < 3')).toEqual(['PO0001', 'PO0002']);
    expect(pick('PoLine <= 3')).toEqual(['PO0001', 'PO0002', 'PO0004']);
    expect(pick('PoLine > 3')).toEqual(['PO0003']);
    expect(pick('PoLine >= 3')).toEqual(['PO0003', 'PO0004']);
  });

  it('compares dates against the filter literal form', () => {
    expect(pick("OrderDate >= '2026-02-01 00:00:00.000'")).toEqual(['PO0002', 'PO0003']);
    expect(pick("OrderDate > '2026-02-01 00:00:00.000'")).toEqual(['PO0003']);
    expect(pick("OrderDate = '2026-02-01 00:00:00.000'")).toEqual(['PO0002']);
    expect(pick("OrderDate < '2026-02-01 00:00:00.000'")).toEqual(['PO0001']);
  });

  it('compares decimals numerically, not as text', () => {
    // As text '10.0…' < '9.0…'; as numbers 9 < 10.
    expect(pick("ItemCost < '10'")).toEqual(['PO0001']);
    expect(pick('ItemCost >= 10')).toEqual(['PO0002', 'PO0003', 'PO0004']);
    expect(pick('ItemCost = 12.5')).toEqual(['PO0003']);
    expect(compare('9', '10', 'decimal')).toBe(-1);
    expect(compare('9', '10', 'string')).toBe(1);
  });

  it('compares strings case-insensitively', () => {
    expect(pick("Name = N'ACME PARTS'")).toEqual(['PO0002']);
    expect(pick("stat = N'o'")).toEqual(['PO0001', 'PO0003']);
    expect(compare('abc ', 'ABC', 'string')).toBe(0);
  });

  it('never matches NULL with a comparison', () => {
    expect(pick("Stat <> N'X'")).toEqual(['PO0001', 'PO0002', 'PO0003']);
    expect(pick("OrderDate < '2100-01-01'")).toEqual(['PO0001', 'PO0002', 'PO0003']);
  });
});

describe('compileFilter: logic', () => {
  it('AND binds tighter than OR', () => {
    // A OR (B AND C): PO0002 via A; PO0001 and PO0003 via B AND C.
    expect(pick("Stat = N'C' OR VendNum = N'V100' AND Stat = N'O'")).toEqual(['PO0001', 'PO0002', 'PO0003']);
    // (A OR B) AND C would give only PO0001 and PO0003.
    expect(pick("VendNum = N'V200' OR VendNum = N'V100' AND PoLine > 5")).toEqual(['PO0002', 'PO0003']);
  });

  it('honours parentheses', () => {
    expect(pick("(VendNum = N'V200' OR VendNum = N'V100') AND PoLine > 5")).toEqual(['PO0003']);
    expect(pick("((PoLine = 1))")).toEqual(['PO0001']);
  });

  it('NOT negates', () => {
    expect(pick("NOT VendNum = N'V100'")).toEqual(['PO0002', 'PO0004']);
    expect(pick("NOT (VendNum = N'V100' OR PoLine = 3)")).toEqual(['PO0002']);
  });

  it('NOT over a comparison with NULL excludes the row, as SQL three-valued logic does', () => {
    expect(pick("NOT (Stat = N'O')")).toEqual(['PO0002']);
  });

  it('IN and NOT IN', () => {
    expect(pick("VendNum IN (N'V200', N'V300')")).toEqual(['PO0002', 'PO0004']);
    expect(pick("VendNum NOT IN (N'V200', N'V300')")).toEqual(['PO0001', 'PO0003']);
    expect(pick('PoLine IN (1, 10)')).toEqual(['PO0001', 'PO0003']);
    // NULL is neither in nor not in a list.
    expect(pick("Stat NOT IN (N'C')")).toEqual(['PO0001', 'PO0003']);
  });

  it('LIKE with % and _, and NOT LIKE', () => {
    expect(pick("Name LIKE N'acme%'")).toEqual(['PO0002', 'PO0003']);
    expect(pick("PoNum LIKE N'PO000_'")).toEqual(['PO0001', 'PO0002', 'PO0003', 'PO0004']);
    expect(pick("PoNum LIKE N'PO00_'")).toEqual([]);
    expect(pick("Name LIKE N'%o%'")).toEqual(['PO0001', 'PO0003', 'PO0004']);
    expect(pick("Name NOT LIKE N'acme%'")).toEqual(['PO0001', 'PO0004']);
    // Regex characters in the pattern are literal.
    expect(pick("Name LIKE N'Acme.Parts'")).toEqual([]);
  });

  it('IS NULL and IS NOT NULL', () => {
    expect(pick('Stat IS NULL')).toEqual(['PO0004']);
    expect(pick('OrderDate IS NOT NULL')).toEqual(['PO0001', 'PO0002', 'PO0003']);
  });

  it("reads N'O''Brien' with a doubled quote", () => {
    expect(pick("Name LIKE N'O''Brien%'")).toEqual(['PO0001']);
    expect(pick("Name = N'O''Brien Supply'")).toEqual(['PO0001']);
    expect(pick("Name = 'O''Brien Supply'")).toEqual(['PO0001']);
  });

  it('an empty filter matches every row', () => {
    expect(pick('')).toHaveLength(rows.length);
    expect(pick('   ')).toHaveLength(rows.length);
  });
});

describe('compileFilter: errors', () => {
  it('unknown column', () => {
    const e = filterError("Bogus = N'x'");
    expect(e.message).toContain('Invalid column name');
    expect(e.message).toContain('Bogus');
  });

  it('unclosed quote', () => {
    expect(filterError("VendNum = N'V100").message).toMatch(/unclosed quotation mark/i);
  });

  it('trailing garbage', () => {
    expect(filterError("VendNum = N'V100' N'extra'").message).toContain('Incorrect syntax');
    expect(filterError("VendNum = N'V100')").message).toContain('Incorrect syntax');
    expect(filterError("VendNum = N'V100'; DROP TABLE x").message).toContain('Incorrect syntax');
  });

  it('bad date literal', () => {
    expect(filterError("OrderDate > 'yesterday'").message).toContain('Conversion failed');
    expect(filterError("OrderDate > '01/02/2026'").message).toContain('Conversion failed');
  });

  it('an impossible date literal is refused', () => {
    expect(filterError("OrderDate > '2026-13-45 00:00:00.000'").message).toContain('Conversion failed');
  });

  it('incomplete expressions', () => {
    expect(() => compileFilter("VendNum = N'V100' AND", types)).toThrow(FilterError);
    expect(() => compileFilter("(VendNum = N'V100'", types)).toThrow("Expected ')'");
    expect(() => compileFilter('VendNum =', types)).toThrow('Expected a value');
    expect(() => compileFilter("VendNum NOT = N'x'", types)).toThrow('Expected IN or LIKE');
  });
});

describe('toTime', () => {
  it('reads both the IDO value form and the filter literal form', () => {
    const expected = Date.UTC(2026, 1, 1, 10, 0, 0, 0);
    expect(toTime('20260201 10:00:00.000')).toBe(expected);
    expect(toTime('2026-02-01 10:00:00.000')).toBe(expected);
    expect(toTime('2026-02-01')).toBe(Date.UTC(2026, 1, 1));
    expect(toTime('2026-02-01 10:00:00.5')).toBe(expected + 500);
    expect(toTime('nonsense')).toBeNaN();
  });
});
