import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import type { FerryDesktop } from '../../shared/desktop';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// The desktop app through its preload API, with the engine in its own utility process. Runs wherever an
// Electron binary is installed; where none is (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, like this
// project's CI), it says so and is skipped.

function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** The engine host as Electron lists it: a utility process named by main's utilityProcess.fork. */
async function engineHostPids(app: ElectronApplication): Promise<number[]> {
  return app.evaluate(({ app: electronApp }) =>
    electronApp
      .getAppMetrics()
      .filter((m) => m.type === 'Utility' && m.name === 'Ferry sync engine')
      .map((m) => m.pid),
  );
}

test('the desktop app opens Activity and reaches the engine, which runs in its own utility process', async () => {
  const bin = electronBinary();
  if (!bin) console.log('Electron smoke test skipped: no Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1).');
  test.skip(!bin, 'no Electron binary installed');

  execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: repoRoot });
  const tmp = tempDir('ferry-electron-');
  const dbKey = 'a'.repeat(64);
  const app = await electron.launch({
    executablePath: bin!,
    args: ['--no-sandbox', repoRoot],
    env: { ...process.env, FERRY_DATA_DIR: tmp.dir, FERRY_DB_KEY: dbKey },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: 'Activity' })).toBeVisible();
    const status = await win.evaluate(async () => window.ferry!.status({}));
    expect(status.ok).toBe(true);
    // The preload exposes the API and nothing of Node.
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');

    // The engine answered from another process than main: the utility process main forked.
    const mainPid = await app.evaluate(() => process.pid);
    const [hostPid] = await engineHostPids(app);
    expect(hostPid).toBeGreaterThan(0);
    expect(hostPid).not.toBe(mainPid);
    const logLines = fs.readFileSync(path.join(tmp.dir, 'logs', 'ferry.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; pid: number });
    expect(logLines.find((l) => l.msg === 'engine host ready')?.pid).toBe(hostPid);
    expect(logLines.find((l) => l.msg === 'the engine host answers')?.pid).toBe(mainPid);
    // The key reached it through its port, never through its command line or environment.
    if (process.platform === 'linux') {
      expect(fs.readFileSync(`/proc/${hostPid}/environ`, 'latin1')).not.toContain(dbKey);
      expect(fs.readFileSync(`/proc/${hostPid}/cmdline`, 'latin1')).not.toContain(dbKey);
    }

    // The desktop bridge is there, with the shell's preferences.
    const prefs = await win.evaluate(async () => (window as unknown as { ferryDesktop: FerryDesktop }).ferryDesktop.getPreferences());
    expect(prefs).toMatchObject({ ok: true, value: { notifications: true } });

    // The engine host dies: the window gets answers again from a new one, without a reload.
    process.kill(hostPid!, 'SIGKILL');
    await expect.poll(async () => (await win.evaluate(async () => window.ferry!.status({}))).ok, { timeout: 30_000 }).toBe(true);
    const [newHostPid] = await engineHostPids(app);
    expect(newHostPid).not.toBe(hostPid);
  } finally {
    await app.close();
    tmp.remove();
  }
});
