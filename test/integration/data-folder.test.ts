import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMoveTarget, moveDataFolder, resolveDataDir } from '../../electron/engine/data-folder';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { checkProfileChoice, lastProfile, listProfiles, rememberLabel, rememberProfile } from '../../electron/engine/profiles';
import { listMappings, setMapping } from '../../electron/engine/store/mappings';
import { filesBelow, tempDir } from '../helpers/temp';

// Settings → Profiles and Data folder, below the hosts: the profile index, the data-folder pointer, and the
// move (copy, check, switch, delete) with real encrypted databases.

const temps: ReturnType<typeof tempDir>[] = [];
const temp = () => {
  const t = tempDir();
  temps.push(t);
  return t.dir;
};
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const log = createLogger(null);

/** A profile with something in it: a supplier mapping. */
async function profileWithData(dataDir: string, name: string): Promise<void> {
  const engine = await Engine.open({ dataDir, profile: name, log });
  setMapping(engine.profile.db, 'supplier', `V-${name}`, { supplierNumber: `S-${name}` }, null);
  engine.close();
}

describe('the profile index', () => {
  it('lists the profiles that have a database, with the names people gave them, and remembers the one open last', async () => {
    const dataDir = temp();
    expect(listProfiles(dataDir)).toEqual([]);
    await profileWithData(dataDir, 'PRD');
    await profileWithData(dataDir, 'TST');
    fs.mkdirSync(path.join(dataDir, 'profiles', 'stray-folder'), { recursive: true }); // no database: not a profile
    rememberLabel(dataDir, 'PRD', 'Production');
    expect(listProfiles(dataDir)).toEqual([
      { name: 'PRD', label: 'Production' },
      { name: 'TST', label: null },
    ]);
    expect(lastProfile(dataDir)).toBeNull();
    rememberProfile(dataDir, 'TST', 'Test');
    expect(lastProfile(dataDir)).toBe('TST');
    expect(listProfiles(dataDir)[1]).toEqual({ name: 'TST', label: 'Test' });
    // A damaged index is not fatal: the profiles are still found, only their display names are forgotten.
    fs.writeFileSync(path.join(dataDir, 'profiles.json'), '{not json');
    expect(listProfiles(dataDir).map((p) => p.name)).toEqual(['PRD', 'TST']);
    expect(lastProfile(dataDir)).toBeNull();
  });

  it('refuses to create a profile that exists, to open one that does not, or to reopen the open one', async () => {
    const dataDir = temp();
    await profileWithData(dataDir, 'PRD');
    expect(() => checkProfileChoice(dataDir, { name: 'PRD', create: true }, 'default')).toThrow(/already a profile called PRD/);
    expect(() => checkProfileChoice(dataDir, { name: 'QA', create: false }, 'PRD')).toThrow(/no profile called QA/);
    expect(() => checkProfileChoice(dataDir, { name: 'PRD', create: false }, 'PRD')).toThrow(/already open/);
    expect(() => checkProfileChoice(dataDir, { name: 'QA', create: true }, 'PRD')).not.toThrow();
  });
});

describe('the data folder', () => {
  it('is FERRY_DATA_DIR, else where location.json in the app-data folder points, else the app-data folder', () => {
    const appData = temp();
    const elsewhere = temp();
    expect(resolveDataDir(appData, {})).toBe(appData);
    fs.writeFileSync(path.join(appData, 'location.json'), JSON.stringify({ dataDir: elsewhere }));
    expect(resolveDataDir(appData, {})).toBe(elsewhere);
    expect(resolveDataDir(appData, { FERRY_DATA_DIR: '/opt/ferry-data' })).toBe('/opt/ferry-data');
    // A pointer to a folder that is gone (an unplugged disk) falls back rather than starting empty somewhere odd.
    fs.writeFileSync(path.join(appData, 'location.json'), JSON.stringify({ dataDir: path.join(elsewhere, 'gone') }));
    expect(resolveDataDir(appData, {})).toBe(appData);
    fs.writeFileSync(path.join(appData, 'location.json'), 'garbage');
    expect(resolveDataDir(appData, {})).toBe(appData);
  });

  it('refuses a target that is relative, the same, inside or around the current folder, a file, or already holds Ferry data', async () => {
    const from = temp();
    const other = temp();
    expect(() => checkMoveTarget(from, 'ferry-data')).toThrow(/full path/);
    expect(() => checkMoveTarget(from, from)).toThrow(/already uses/);
    expect(() => checkMoveTarget(from, path.join(from, 'sub'))).toThrow(/cannot be inside/);
    expect(() => checkMoveTarget(path.join(other, 'inner'), other)).toThrow(/cannot contain/);
    fs.writeFileSync(path.join(other, 'a-file'), 'x');
    expect(() => checkMoveTarget(from, path.join(other, 'a-file'))).toThrow(/is a file/);
    fs.mkdirSync(path.join(other, 'used', 'profiles'), { recursive: true });
    expect(() => checkMoveTarget(from, path.join(other, 'used'))).toThrow(/already holds Ferry data \(profiles\)/);
    expect(checkMoveTarget(from, path.join(other, 'new', 'Ferry'))).toBe(path.join(other, 'new', 'Ferry'));
  });

  it('moves every profile byte for byte, points the app-data folder at it, deletes the old copy, and the databases open there', async () => {
    const appData = temp();
    await profileWithData(appData, 'PRD');
    await profileWithData(appData, 'TST');
    rememberProfile(appData, 'TST', 'Test');
    fs.mkdirSync(path.join(appData, 'logs'));
    fs.writeFileSync(path.join(appData, 'logs', 'ferry.log'), 'old log\n');
    const before = new Map(filesBelow(path.join(appData, 'profiles')).map((f) => [path.relative(appData, f), fs.readFileSync(f)]));
    const to = path.join(temp(), 'Ferry data');
    const seen: number[] = [];

    const result = await moveDataFolder({ from: appData, to, appDataDir: appData, onProgress: (p) => seen.push(p.files) });

    expect(result.dataDir).toBe(to);
    expect(result.leftBehind).toEqual([]);
    expect(result.files).toBe(before.size + 1); // + profiles.json
    expect(seen).toEqual(Array.from({ length: result.files }, (_v, i) => i + 1));
    for (const [rel, bytes] of before) expect(fs.readFileSync(path.join(to, rel)).equals(bytes), rel).toBe(true);
    // Key files keep their owner-only mode.
    expect(fs.statSync(path.join(to, 'profiles', 'PRD', 'db.key')).mode & 0o077).toBe(0);
    expect(resolveDataDir(appData, {})).toBe(to);
    expect(fs.existsSync(path.join(appData, 'profiles'))).toBe(false);
    expect(fs.readFileSync(path.join(appData, 'logs', 'ferry.log'), 'utf8')).toBe('old log\n'); // logs stay
    expect(lastProfile(to)).toBe('TST');
    const engine = await Engine.open({ dataDir: to, profile: 'PRD', log });
    expect(listMappings(engine.profile.db, 'supplier').map((m) => m.key)).toEqual(['V-PRD']);
    engine.close();

    // Moving back into the app-data folder removes the pointer.
    await moveDataFolder({ from: to, to: appData, appDataDir: appData });
    expect(fs.existsSync(path.join(appData, 'location.json'))).toBe(false);
    expect(resolveDataDir(appData, {})).toBe(appData);
    expect(listProfiles(appData).map((p) => p.name)).toEqual(['PRD', 'TST']);
  });

  it('leaves everything where it was when the copy fails part-way', async () => {
    const appData = temp();
    await profileWithData(appData, 'PRD');
    const before = filesBelow(appData).sort();
    const to = path.join(temp(), 'target');
    let copied = 0;
    await expect(
      moveDataFolder({
        from: appData,
        to,
        appDataDir: appData,
        onProgress: () => {
          copied += 1;
          if (copied === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        },
      }),
    ).rejects.toThrow(/could not copy its data .*ENOSPC.*stays in/);
    expect(filesBelow(appData).sort()).toEqual(before);
    expect(fs.existsSync(path.join(to, 'profiles'))).toBe(false);
    expect(resolveDataDir(appData, {})).toBe(appData);
    const engine = await Engine.open({ dataDir: appData, profile: 'PRD', log });
    expect(listMappings(engine.profile.db, 'supplier')).toHaveLength(1);
    engine.close();
  });
});
