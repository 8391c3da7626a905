import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROFILE_NAME, type ProfileSummary } from '../../shared/api';
import { FerryError } from '../../shared/errors';
import { profileDir } from './paths';

// The profiles of one data folder (TST, PRD, …), as the app lists and opens them. Each profile's own settings
// live in its encrypted database; this small plaintext index beside them holds only what must be readable
// without opening every database: the name people gave each profile ("Production") and the one the app had
// open last, so it reopens there. Nothing in it is secret, and a damaged index is simply rebuilt.

const INDEX_FILE = 'profiles.json';

const ProfileIndex = z.object({
  last: z.string().regex(PROFILE_NAME).nullable().default(null),
  labels: z.record(z.string(), z.string().max(60)).default({}),
});
type ProfileIndex = z.infer<typeof ProfileIndex>;

function readIndex(dataDir: string): ProfileIndex {
  try {
    return ProfileIndex.parse(JSON.parse(fs.readFileSync(path.join(dataDir, INDEX_FILE), 'utf8')));
  } catch {
    return { last: null, labels: {} };
  }
}

/** Write-then-rename: a crash mid-write leaves the previous index, never half of one. */
function writeIndex(dataDir: string, index: ProfileIndex): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, INDEX_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(index, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function profileExists(dataDir: string, name: string): boolean {
  return fs.existsSync(path.join(profileDir(dataDir, name), 'ferry.db'));
}

/** Every profile with a database in this data folder, by name. */
export function listProfiles(dataDir: string): ProfileSummary[] {
  const dir = path.join(dataDir, 'profiles');
  const { labels } = readIndex(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && PROFILE_NAME.test(d.name) && profileExists(dataDir, d.name))
    .map((d) => ({ name: d.name, label: labels[d.name] ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The profile the app opens at start: the one open last, if it still exists. */
export function lastProfile(dataDir: string): string | null {
  const { last } = readIndex(dataDir);
  return last && profileExists(dataDir, last) ? last : null;
}

export function rememberProfile(dataDir: string, name: string, label?: string | null): void {
  const index = readIndex(dataDir);
  index.last = name;
  if (label !== undefined) setLabel(index, name, label);
  writeIndex(dataDir, index);
}

/** Keeps the list's copy of a profile's name in step with the one in its database (Settings, Setup wizard). */
export function rememberLabel(dataDir: string, name: string, label: string | null): void {
  const index = readIndex(dataDir);
  setLabel(index, name, label);
  writeIndex(dataDir, index);
}

function setLabel(index: ProfileIndex, name: string, label: string | null): void {
  if (label) index.labels[name] = label;
  else delete index.labels[name];
}

/**
 * Checks a request to open (or create) a profile before a host closes the one that is open, so a typo never
 * leaves the app with no profile at all.
 */
export function checkProfileChoice(dataDir: string, choice: { name: string; create: boolean }, current: string): void {
  const exists = profileExists(dataDir, choice.name);
  if (choice.create && exists) {
    throw new FerryError('profile_exists', `There is already a profile called ${choice.name}. Choose another name, or open ${choice.name} from the list.`);
  }
  if (!choice.create && !exists) {
    throw new FerryError('profile_unknown', `There is no profile called ${choice.name} in this data folder. Create it with "New profile", or check the name.`);
  }
  if (!choice.create && choice.name === current) {
    throw new FerryError('profile_open', `${choice.name} is the profile already open.`);
  }
}
