import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, shell, type WebFrameMain } from 'electron';
import { Engine } from './engine/engine';
import { createLogger } from './engine/log';
import { profileDir } from './engine/paths';
import { registerIpc } from './ipc';
import { safeStorageKeyProvider } from './keychain';

// Desktop shell. The engine runs in this process for now; moving it into a utilityProcess (so a long sync
// never blocks the window) is part of the desktop-app issue, behind the same Handlers interface.

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function isTrustedFrame(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.url.split('#')[0]!.split('?')[0] === rendererUrl;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Ferry',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // The window only ever shows Ferry's own pages; links open in the user's browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== rendererUrl) event.preventDefault();
  });
  void win.loadFile(rendererIndex);
  return win;
}

async function start(): Promise<void> {
  const dataDir = process.env.FERRY_DATA_DIR ? path.resolve(process.env.FERRY_DATA_DIR) : app.getPath('userData');
  const log = createLogger(dataDir);
  // An IT person may choose a passphrase (FERRY_DB_KEY) instead of the OS keychain, e.g. on Linux without one.
  const keyProvider = process.env.FERRY_DB_KEY ? undefined : safeStorageKeyProvider(profileDir(dataDir, 'default'));
  const engine = await Engine.open({ dataDir, log, keyProvider });
  registerIpc(engine, isTrustedFrame);
  createWindow();
  app.on('before-quit', () => engine.close());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      app.exit(1);
    });
}
