import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { FerryError } from '../../shared/errors';

const isWindows = process.platform === 'win32';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-keys-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FerryError);
    return (err as FerryError).code;
  }
  throw new Error('did not reject');
}

describe('headlessKeyProvider: key file', () => {
  it('creates db.key (0600) holding a 32-byte key and returns the same key next time', async () => {
    const provider = headlessKeyProvider(dir, {});
    const key = await provider.getKey();
    expect(key).toHaveLength(32);
    const file = path.join(dir, 'db.key');
    expect(fs.existsSync(file)).toBe(true);
    if (!isWindows) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key.toString('hex'));
    expect(provider.description).toContain(file);

    const again = await headlessKeyProvider(dir, {}).getKey();
    expect(again.equals(key)).toBe(true);
  });

  it('creates the profile folder when it does not exist yet', async () => {
    const nested = path.join(dir, 'profiles', 'default');
    const key = await headlessKeyProvider(nested, {}).getKey();
    expect(key).toHaveLength(32);
    expect(fs.existsSync(path.join(nested, 'db.key'))).toBe(true);
  });

  it.skipIf(isWindows)('refuses a key file others can read (0644) with db_key_exposed', async () => {
    await headlessKeyProvider(dir, {}).getKey();
    const file = path.join(dir, 'db.key');
    fs.chmodSync(file, 0o644);
    expect(await codeOf(headlessKeyProvider(dir, {}).getKey())).toBe('db_key_exposed');
  });

  it('refuses a damaged key file with db_key_invalid', async () => {
    fs.writeFileSync(path.join(dir, 'db.key'), 'this is not a hex key', { mode: 0o600 });
    expect(await codeOf(headlessKeyProvider(dir, {}).getKey())).toBe('db_key_invalid');
    fs.writeFileSync(path.join(dir, 'db.key'), 'ab'.repeat(31), { mode: 0o600 });
    expect(await codeOf(headlessKeyProvider(dir, {}).getKey())).toBe('db_key_invalid');
  });

  it('treats an empty FERRY_DB_KEY as absent', async () => {
    const key = await headlessKeyProvider(dir, { FERRY_DB_KEY: '' }).getKey();
    expect(key).toHaveLength(32);
    expect(fs.existsSync(path.join(dir, 'db.key'))).toBe(true);
  });
});

describe('headlessKeyProvider: FERRY_DB_KEY', () => {
  it('uses 64 hex characters as the key itself and writes no key file', async () => {
    const hex = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const provider = headlessKeyProvider(dir, { FERRY_DB_KEY: hex });
    const key = await provider.getKey();
    expect(key.toString('hex')).toBe(hex);
    expect(provider.description).toBe('FERRY_DB_KEY');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('stretches a passphrase into a stable 32-byte key and keeps a salt', async () => {
    const env = { FERRY_DB_KEY: 'correct horse battery staple' };
    const key = await headlessKeyProvider(dir, env).getKey();
    expect(key).toHaveLength(32);
    expect(fs.existsSync(path.join(dir, 'db.salt'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'db.key'))).toBe(false);

    const again = await headlessKeyProvider(dir, env).getKey();
    expect(again.equals(key)).toBe(true);

    const other = await headlessKeyProvider(dir, { FERRY_DB_KEY: 'correct horse battery stapler' }).getKey();
    expect(other.equals(key)).toBe(false);
  });

  it('refuses a passphrase shorter than 12 characters with db_key_weak', async () => {
    expect(await codeOf(headlessKeyProvider(dir, { FERRY_DB_KEY: 'elevenchars' }).getKey())).toBe('db_key_weak');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('accepts a passphrase of exactly 12 characters', async () => {
    const key = await headlessKeyProvider(dir, { FERRY_DB_KEY: 'twelve-chars' }).getKey();
    expect(key).toHaveLength(32);
  });
});
