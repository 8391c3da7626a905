import { describe, it, expect } from 'vitest';
import { canonicalJson, contentHash } from '../../electron/engine/sync/hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined properties', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: null } })).toBe('{"a":1,"c":{"e":null}}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ lines: ['b', 'a'] })).not.toBe(canonicalJson({ lines: ['a', 'b'] }));
  });

  it('writes scalars as JSON', () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
  });

  it('round-trips through JSON.parse to the same value', () => {
    const v = { z: [1, { y: 'x', a: null }], a: { b: { c: 'd' } } };
    expect(JSON.parse(canonicalJson(v))).toEqual(v);
  });
});

describe('contentHash', () => {
  const a = { poNumber: 'PO1', header: { vendor: 'V100', total: 12.5 }, lines: [{ n: 1, qty: 2 }, { n: 2, qty: 3 }] };
  const sameInOtherOrder = { lines: [{ qty: 2, n: 1 }, { qty: 3, n: 2 }], header: { total: 12.5, vendor: 'V100' }, poNumber: 'PO1' };

  it('is a sha256 hex digest', () => {
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal for the same content in a different key order', () => {
    expect(contentHash(sameInOtherOrder)).toBe(contentHash(a));
  });

  it('differs when a nested value changes', () => {
    const changed = { ...a, lines: [{ n: 1, qty: 2 }, { n: 2, qty: 4 }] };
    expect(contentHash(changed)).not.toBe(contentHash(a));
    expect(contentHash({ ...a, header: { vendor: 'V100', total: 12.51 } })).not.toBe(contentHash(a));
  });
});
