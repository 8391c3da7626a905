import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { FerryError } from '../shared/errors';
import type { KeyProvider } from './engine/store/keys';

/**
 * Desktop key provider: the database key is random and stored only wrapped by the OS keychain through
 * Electron safeStorage (DPAPI on Windows, Keychain on macOS, libsecret/KWallet on Linux). The Linux
 * "basic_text" backend is refused: it would leave the key effectively in plaintext. (Electron 39 has no
 * async safeStorage API yet; switch to it when the pinned version gains one, as DESIGN.md asks.)
 */
export function safeStorageKeyProvider(dir: string): KeyProvider {
  const file = path.join(dir, 'db.key.safestorage');
  return {
    description: 'operating-system keychain (safeStorage)',
    async getKey() {
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        throw new FerryError(
          'keychain_unavailable',
          'This computer has no keyring Ferry can use to protect its database key (for example GNOME Keyring or KWallet). Install one, or run Ferry headless with FERRY_DB_KEY set to a passphrase.',
        );
      }
      if (!safeStorage.isEncryptionAvailable()) {
        throw new FerryError('keychain_unavailable', 'The operating-system keychain is not available yet; sign in to your desktop session and start Ferry again.');
      }
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!fs.existsSync(file)) {
        const wrapped = safeStorage.encryptString(crypto.randomBytes(32).toString('hex'));
        try {
          fs.writeFileSync(file, wrapped, { mode: 0o600, flag: 'wx' });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      const hex = safeStorage.decryptString(fs.readFileSync(file));
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new FerryError('db_key_invalid', `The wrapped key in ${file} is damaged.`);
      return Buffer.from(hex, 'hex');
    },
  };
}
