import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from './data-folder';

/** The data folder in use: FERRY_DATA_DIR, else the app-data folder or where it points after a move (data-folder.ts). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return resolveDataDir(appDataDir(env, platform), env);
}

/** The OS app-data folder Electron would use for productName "Ferry", so desktop and CLI share one place. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ferry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Ferry');
}

export function profileDir(dataDir: string, profile: string): string {
  return path.join(dataDir, 'profiles', profile);
}

/** The sandbox keeps its own world here; nothing of Ferry's own is written below it. */
export function sandboxDir(dataDir: string): string {
  return path.join(dataDir, 'sandbox');
}

export function logDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}
