import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// The desktop app through its preload API. Runs wherever an Electron binary is installed; where none is
// (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, like this project's CI), it says so and is skipped.

function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

test('the desktop app opens Activity and reaches the engine through window.ferry', async () => {
  const bin = electronBinary();
  if (!bin) console.log('Electron smoke test skipped: no Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1).');
  test.skip(!bin, 'no Electron binary installed');

  execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: repoRoot });
  const tmp = tempDir('ferry-electron-');
  const app = await electron.launch({
    executablePath: bin!,
    args: ['--no-sandbox', repoRoot],
    env: { ...process.env, FERRY_DATA_DIR: tmp.dir, FERRY_DB_KEY: 'a'.repeat(64) },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: 'Activity' })).toBeVisible();
    const status = await win.evaluate(async () => window.ferry!.status({}));
    expect(status.ok).toBe(true);
    // The preload exposes the API and nothing of Node.
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  } finally {
    await app.close();
    tmp.remove();
  }
});
