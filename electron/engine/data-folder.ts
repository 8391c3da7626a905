import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FerryError } from '../../shared/errors';

// Where Ferry keeps its data, and moving it (Settings → Data folder, e.g. to a disk IT backs up). The OS
// app-data folder stays the anchor: a small location.json there points to the folder in use, so the desktop
// app, `ferry serve` and the CLI all find the moved data without being told. FERRY_DATA_DIR and --data-dir
// still win; a folder chosen that way is not moved from the app (the variable would point back to the old one).
//
// The move copies, checks every byte of the copy (SHA-256 of source and copy), switches the pointer, and only
// then deletes the old copy: if anything fails before the switch, the old folder is untouched and still in use.
// Hand-written rather than fs.cp because of that check and because the host reports progress file by file.

const LOCATION_FILE = 'location.json';
/** What moves: the profiles (encrypted databases, key files), the sample-data sandbox, the profile index. */
const MOVED = ['profiles', 'sandbox', 'profiles.json'] as const;

const Location = z.object({ dataDir: z.string().min(1) });

/** The data folder in use: FERRY_DATA_DIR, else where location.json in the app-data folder points, else that folder. */
export function resolveDataDir(appDataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_DATA_DIR) return path.resolve(env.FERRY_DATA_DIR);
  try {
    const { dataDir } = Location.parse(JSON.parse(fs.readFileSync(path.join(appDataDir, LOCATION_FILE), 'utf8')));
    if (path.isAbsolute(dataDir) && fs.existsSync(dataDir)) return dataDir;
  } catch {
    // No pointer (the usual case) or an unreadable one: the app-data folder itself.
  }
  return appDataDir;
}

/** Why Settings may not move the data folder: it was chosen from outside (`how`), or null when Ferry chose it. */
export function dataDirLockedBy(how: string | null): string | null {
  return how ? `This data folder was chosen with ${how}; to move it, move the folder and change that, then start Ferry again.` : null;
}

export interface MoveProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface MoveResult {
  dataDir: string;
  files: number;
  bytes: number;
  /** Parts of the old copy that could not be deleted (e.g. held open by another program); the data in use is the new copy. */
  leftBehind: string[];
}

interface FileToMove {
  rel: string;
  size: number;
  mode: number;
}

function listFiles(from: string): FileToMove[] {
  const files: FileToMove[] = [];
  const walk = (rel: string) => {
    const abs = path.join(from, rel);
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) for (const name of fs.readdirSync(abs)) walk(path.join(rel, name));
    else if (st.isFile()) files.push({ rel, size: st.size, mode: st.mode & 0o777 });
    // Symbolic links and sockets are not Ferry's: they stay behind.
  };
  for (const top of MOVED) if (fs.existsSync(path.join(from, top))) walk(top);
  return files;
}

async function sha256(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Refuses a target that would lose or mix data, in a sentence a person can act on. */
export function checkMoveTarget(from: string, to: string): string {
  if (!path.isAbsolute(to)) throw new FerryError('invalid_input', `Give the full path of the new data folder (for example ${process.platform === 'win32' ? 'D:\\Ferry' : '/srv/ferry'}), not "${to}".`);
  const target = path.resolve(to);
  const source = path.resolve(from);
  const inside = (a: string, b: string) => !path.relative(b, a).startsWith('..') && !path.isAbsolute(path.relative(b, a));
  if (target === source) throw new FerryError('invalid_input', 'That is the data folder Ferry already uses.');
  if (inside(target, source)) throw new FerryError('invalid_input', 'The new data folder cannot be inside the current one.');
  if (inside(source, target)) throw new FerryError('invalid_input', 'The new data folder cannot contain the current one; choose a folder of its own, e.g. a new "Ferry" folder.');
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new FerryError('invalid_input', `${target} is a file, not a folder.`);
    const clash = MOVED.filter((name) => fs.existsSync(path.join(target, name)));
    if (clash.length > 0) {
      throw new FerryError('invalid_input', `${target} already holds Ferry data (${clash.join(', ')}); choose an empty folder so nothing there is overwritten.`);
    }
  }
  try {
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    const probe = path.join(target, `.ferry-write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok', { mode: 0o600 });
    fs.rmSync(probe);
  } catch (err) {
    throw new FerryError('invalid_input', `Ferry cannot write to ${target} (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose a folder you may write to.`);
  }
  return target;
}

/**
 * Moves the data from `from` to `to` and points the app-data folder at it. The caller has closed every
 * database in `from` first (the hosts stop the engine), so the files are still.
 */
export async function moveDataFolder(opts: { from: string; to: string; appDataDir: string; onProgress?: (p: MoveProgress) => void }): Promise<MoveResult> {
  const target = checkMoveTarget(opts.from, opts.to);
  const files = listFiles(opts.from);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const free = fs.statfsSync(target);
  if (free.bavail * free.bsize < totalBytes * 1.05) {
    throw new FerryError('invalid_input', `${target} has ${Math.floor((free.bavail * free.bsize) / 1e6)} MB free; Ferry's data needs ${Math.ceil(totalBytes / 1e6)} MB. Free some space or choose another disk.`);
  }
  const copied: string[] = [];
  let bytes = 0;
  try {
    for (const [i, f] of files.entries()) {
      const src = path.join(opts.from, f.rel);
      const dst = path.join(target, f.rel);
      await fsp.mkdir(path.dirname(dst), { recursive: true, mode: 0o700 });
      await fsp.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
      copied.push(dst);
      await fsp.chmod(dst, f.mode);
      if ((await sha256(src)) !== (await sha256(dst))) {
        throw new FerryError('move_check_failed', `The copy of ${f.rel} in ${target} differs from the original; the data stays in ${opts.from}. Check the new disk, then try again.`);
      }
      bytes += f.size;
      opts.onProgress?.({ files: i + 1, totalFiles: files.length, bytes, totalBytes });
    }
  } catch (err) {
    // Nothing switched yet: take the partial copy away, the old folder is still the one in use.
    for (const top of MOVED) await fsp.rm(path.join(target, top), { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof FerryError) throw err;
    throw new FerryError('move_failed', `Ferry could not copy its data to ${target} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the data stays in ${opts.from}.`);
  }
  pointTo(opts.appDataDir, target);
  const leftBehind: string[] = [];
  for (const top of MOVED) {
    try {
      fs.rmSync(path.join(opts.from, top), { recursive: true, force: true, maxRetries: 2 });
    } catch {
      leftBehind.push(path.join(opts.from, top));
    }
  }
  return { dataDir: target, files: files.length, bytes, leftBehind };
}

/** Write-then-rename the pointer; the app-data folder itself needs none. */
function pointTo(appDataDir: string, target: string): void {
  const file = path.join(appDataDir, LOCATION_FILE);
  if (path.resolve(target) === path.resolve(appDataDir)) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(appDataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ dataDir: target }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
