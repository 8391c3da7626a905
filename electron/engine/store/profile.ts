import fs from 'node:fs';
import path from 'node:path';
import { PROFILE_NAME } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import { profileDir } from '../paths';
import { openDatabase, type Db } from './db';
import { headlessKeyProvider, type KeyProvider } from './keys';
import { deriveSealKey } from './seal';

export interface Profile {
  name: string;
  dir: string;
  db: Db;
  sealKey: Buffer;
  close(): void;
}


/** One encrypted database per profile (a CloudSuite tenant with its JAGGAER and Jira), under <data-dir>/profiles/. */
export async function openProfile(dataDir: string, name = 'default', keyProvider?: KeyProvider): Promise<Profile> {
  if (!PROFILE_NAME.test(name)) {
    throw new FerryError('profile_name', `"${name}" is not a usable profile name: use letters, digits, "-" or "_" (up to 40).`);
  }
  const dir = profileDir(dataDir, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = await (keyProvider ?? headlessKeyProvider(dir)).getKey();
  const db = openDatabase(path.join(dir, 'ferry.db'), key);
  const sealKey = deriveSealKey(key);
  key.fill(0);
  return { name, dir, db, sealKey, close: () => db.close() };
}
