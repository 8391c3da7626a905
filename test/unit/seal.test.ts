import crypto from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { deriveSealKey, seal, unseal } from '../../electron/engine/store/seal';
import { FerryError } from '../../shared/errors';

const dbKey = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const key = deriveSealKey(dbKey);
const SECRET = 'sask: Qw8Er7Ty6Ui5Op4As3Df2Gh1 — ünïcødé ✓';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FerryError);
    return (err as FerryError).code;
  }
  throw new Error('did not throw');
}

describe('seal / unseal', () => {
  it('round-trips', () => {
    const env = seal(key, SECRET, 'connections/cloudsuite');
    expect(unseal(key, env, 'connections/cloudsuite')).toBe(SECRET);
    expect(unseal(key, seal(key, '', 'c'), 'c')).toBe('');
  });

  it('produces a different ciphertext each time, none holding the plaintext', () => {
    const a = seal(key, SECRET, 'c');
    const b = seal(key, SECRET, 'c');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Qw8Er7');
    expect(Buffer.from(a.slice(4), 'base64url').toString('latin1')).not.toContain('Qw8Er7');
  });

  it('starts the envelope with fs1.', () => {
    const env = seal(key, SECRET, 'c');
    expect(env.startsWith('fs1.')).toBe(true);
    expect(env.slice(4)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a wrong context with sealed_corrupt', () => {
    const env = seal(key, SECRET, 'connections/cloudsuite');
    expect(codeOf(() => unseal(key, env, 'connections/jaggaer'))).toBe('sealed_corrupt');
  });

  it('refuses a wrong key with sealed_corrupt', () => {
    const env = seal(key, SECRET, 'c');
    const other = deriveSealKey(crypto.randomBytes(32));
    expect(codeOf(() => unseal(other, env, 'c'))).toBe('sealed_corrupt');
  });

  it('refuses a tampered ciphertext with sealed_corrupt', () => {
    const env = seal(key, SECRET, 'c');
    const raw = Buffer.from(env.slice(4), 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x01;
    expect(codeOf(() => unseal(key, 'fs1.' + raw.toString('base64url'), 'c'))).toBe('sealed_corrupt');
  });

  it('refuses an unknown prefix with sealed_unknown', () => {
    const env = seal(key, SECRET, 'c');
    expect(codeOf(() => unseal(key, 'fs2.' + env.slice(4), 'c'))).toBe('sealed_unknown');
    expect(codeOf(() => unseal(key, SECRET, 'c'))).toBe('sealed_unknown');
  });

  it('refuses a truncated envelope with sealed_corrupt', () => {
    const env = seal(key, SECRET, 'c');
    expect(codeOf(() => unseal(key, env.slice(0, 30), 'c'))).toBe('sealed_corrupt');
  });
});

describe('deriveSealKey', () => {
  it('gives 32 bytes, different from the input key, and deterministic', () => {
    const k = deriveSealKey(dbKey);
    expect(k).toHaveLength(32);
    expect(k.equals(dbKey)).toBe(false);
    expect(k.equals(deriveSealKey(Buffer.from(dbKey)))).toBe(true);
    expect(k.equals(deriveSealKey(crypto.randomBytes(32)))).toBe(false);
  });
});
