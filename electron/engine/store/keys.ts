import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FerryError } from '../../../shared/errors';

/** Where the 32-byte database key comes from: a key file or FERRY_DB_KEY here, safeStorage on the desktop. */
export interface KeyProvider {
  readonly description: string;
  getKey(): Promise<Buffer>;
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const MIN_PASSPHRASE = 12;

/**
 * Headless key provider. FERRY_DB_KEY is either 64 hex characters (the raw key) or a passphrase stretched
 * with scrypt (salt kept beside the database). Without it, a random key is written once to a 0600 key file in
 * the profile folder. There is never a default key.
 */
export function headlessKeyProvider(dir: string, env: NodeJS.ProcessEnv = process.env): KeyProvider {
  const fromEnv = env.FERRY_DB_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    return {
      description: 'FERRY_DB_KEY',
      async getKey() {
        if (HEX_KEY.test(fromEnv)) return Buffer.from(fromEnv, 'hex');
        if (fromEnv.length < MIN_PASSPHRASE) {
          throw new FerryError(
            'db_key_weak',
            `FERRY_DB_KEY is too short: use 64 hex characters or a passphrase of at least ${MIN_PASSPHRASE} characters.`,
          );
        }
        return scryptKey(fromEnv, readOrCreate(path.join(dir, 'db.salt'), () => crypto.randomBytes(16).toString('hex')));
      },
    };
  }
  const keyFile = path.join(dir, 'db.key');
  return {
    description: `key file ${keyFile}`,
    async getKey() {
      const hex = readOrCreate(keyFile, () => crypto.randomBytes(32).toString('hex'));
      checkPrivate(keyFile);
      if (!HEX_KEY.test(hex)) {
        throw new FerryError('db_key_invalid', `The key file ${keyFile} is damaged: it should hold 64 hex characters.`);
      }
      return Buffer.from(hex, 'hex');
    },
  };
}

function scryptKey(passphrase: string, saltHex: string): Buffer {
  return crypto.scryptSync(passphrase, Buffer.from(saltHex, 'hex'), 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

/** Creates the file exclusively (0600) when absent, so two processes starting at once agree on one value. */
function readOrCreate(file: string, make: () => string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function checkPrivate(file: string): void {
  if (process.platform === 'win32') return;
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new FerryError(
      'db_key_exposed',
      `The key file ${file} can be read by other users (mode ${mode.toString(8)}); run "chmod 600 ${file}" and try again.`,
    );
  }
}
