import Database from 'better-sqlite3-multiple-ciphers';
import { FerryError } from '../../../shared/errors';
import { migrate } from './migrations';

export type Db = Database.Database;

/**
 * Opens (or creates) an encrypted profile database. SQLCipher mode with a raw 32-byte key, so the file is
 * readable by standard SQLCipher tools given the key, and unreadable without it.
 */
export function openDatabase(file: string, key: Buffer): Db {
  if (key.length !== 32) throw new FerryError('db_key_invalid', 'The database key must be 32 bytes.');
  const db = new Database(file);
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    try {
      db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    } catch {
      throw new FerryError(
        'db_key_wrong',
        `Ferry's database at ${file} could not be opened with this key. If you moved the data folder, bring its key file (or FERRY_DB_KEY) along with it.`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
