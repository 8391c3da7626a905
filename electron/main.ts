import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, nativeImage, Notification, screen, session, Tray, utilityProcess, type WebFrameMain } from 'electron';
import { dispatch, flowNames, isHostMethod, type FlowName, type HostHandlers, type MethodInput, type MethodName, type MethodOutput, type RunSummary } from '../shared/api';
import type { EngineEvent, ShellPreferences, ShellPreferencesView } from '../shared/desktop';
import { desktopChannels } from '../shared/desktop';
import { FerryError, type Result } from '../shared/errors';
import { dataDirLockedBy, moveDataFolder, resolveDataDir } from './engine/data-folder';
import { createLogger, type Logger } from './engine/log';
import { profileDir } from './engine/paths';
import { checkProfileChoice, lastProfile, rememberProfile } from './engine/profiles';
import { headlessKeyProvider } from './engine/store/keys';
import { EngineSupervisor, type HostProcess, type SupervisorEvent } from './engine-supervisor';
import type { RunAllResult, ToHost } from './host-protocol';
import { registerDesktopIpc, registerIpc } from './ipc';
import { safeStorageKeyProvider } from './keychain';
import { isRendererPage } from './renderer-urls';
import { hardenSession, lockDownContents, type RendererLocation } from './security';
import { notificationsFor, snapshotOf, type ShellNotification, type ShellStatus, type Snapshot } from './shell-status';
import { ShellStore } from './shell-store';
import { trayIconPng } from './tray-icon';
import { trayMenuTemplate, trayTone } from './tray-menu';
import { restoreWindowState, type Rect } from './window-state';

// The desktop shell: one window, a tray, notifications and the database key. The engine runs in its own
// process (a utilityProcess running engine-host.cjs), so a long sync never blocks the window; main forwards the
// window's calls to it and restarts it if it stops unexpectedly. See README, "Desktop shell and security".

const STATUS_EVERY_MS = 60_000;
const FAILURES_LIMIT = 1000;
const PROGRESS_EVERY_MS = 250;
/** How long a profile switch or a data-folder move lets a run in progress finish (quitting waits 15 s). */
const SWITCH_WAIT_MS = 5 * 60_000;

const rendererDir = path.join(__dirname, '..', 'renderer');
const rendererIndex = path.join(rendererDir, 'index.html');
const renderer: RendererLocation = { dir: rendererDir, indexUrl: pathToFileURL(rendererIndex).href };
const hostEntry = path.join(__dirname, 'engine-host.cjs');

/** Only Ferry's own page, in the window's top frame, may call main. */
function isTrustedFrame(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isRendererPage(frame.url, renderer.indexUrl);
}

/** The host's environment: this one without the passphrase (the key reaches the host through its port only). */
function hostEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'FERRY_DB_KEY') env[k] = v;
  return env;
}

function spawnHost(): HostProcess {
  const child = utilityProcess.fork(hostEntry, [], { serviceName: 'Ferry sync engine', env: hostEnv(), stdio: 'inherit' });
  // Messages wait for the process to exist; a queued copy of the key is wiped once it has been posted.
  let spawned = false;
  const queue: ToHost[] = [];
  child.once('spawn', () => {
    spawned = true;
    for (const m of queue.splice(0)) {
      child.postMessage(m);
      if (m.type === 'start') m.key.fill(0);
    }
  });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (m) => (spawned ? child.postMessage(m) : queue.push(structuredClone(m))),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill(),
  };
}

class DesktopShell {
  private win: BrowserWindow | null = null;
  private tray: Tray | null = null;
  private quitting = false;
  private snapshot: Snapshot | null = null;
  private engineState: ShellStatus['engine'] = 'starting';
  private engineMessage: string | null = null;
  private readonly running = new Set<FlowName>();
  /** Runs the tray already reported, so the next look does not report them again. */
  private readonly reported = new Set<string>();
  private readonly progress = new Map<FlowName, EngineEvent>();
  private progressTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  readonly supervisor: EngineSupervisor;
  /** The profile open now: the one open when Ferry last closed, until Settings opens another. */
  private profile: string;
  /** Profile and data-folder changes, one at a time. */
  private changing: Promise<unknown> = Promise.resolve();

  constructor(
    /** The data folder in use (moved by Settings → Data folder). */
    private dataDir: string,
    /** The OS app-data folder: shell preferences, and where a moved data folder is recorded. */
    private readonly appDataDir: string,
    private readonly log: Logger,
    private readonly store: ShellStore,
  ) {
    this.profile = lastProfile(dataDir) ?? 'default';
    this.supervisor = new EngineSupervisor({
      spawn: spawnHost,
      startMessage: async () => ({ type: 'start', dataDir: this.dataDir, profile: this.profile, key: await this.unwrapKey(), schedules: true, dataDirLocked: this.dataDirLocked }),
      log,
      onEvent: (e) => this.onEngineEvent(e),
    });
  }

  private get dataDirLocked(): string | null {
    return dataDirLockedBy(process.env.FERRY_DATA_DIR ? 'the FERRY_DATA_DIR environment variable' : null);
  }

  /** The database key, unwrapped here and only here; the host gets it through its port. */
  private async unwrapKey(): Promise<Uint8Array<ArrayBuffer>> {
    const dir = profileDir(this.dataDir, this.profile);
    // An IT person may choose a passphrase (FERRY_DB_KEY) instead of the OS keychain, e.g. on Linux without one.
    const provider = process.env.FERRY_DB_KEY ? headlessKeyProvider(dir) : safeStorageKeyProvider(dir);
    const key = await provider.getKey();
    const copy = new Uint8Array(key); // the supervisor wipes this one once it is posted
    key.fill(0);
    return copy;
  }

  start(startHidden: boolean): void {
    registerIpc((method, input) => (isHostMethod(method) ? dispatch(this.hostHandlers, method, input) : this.supervisor.call(method, input)), isTrustedFrame);
    registerDesktopIpc({ get: () => this.preferencesView(), set: (patch) => this.setPreferences(patch), chooseFolder: () => this.chooseFolder() }, isTrustedFrame);
    rememberProfile(this.dataDir, this.profile);
    this.supervisor.start();
    this.createTray();
    if (!(startHidden && this.tray && this.store.preferences.keepInTray)) this.showWindow();
    setInterval(() => void this.refresh(), STATUS_EVERY_MS).unref();
  }

  /** Settings → Open profile / Move data folder: the engine process stops and starts again on the new choice. */
  private readonly hostHandlers: HostHandlers = {
    openProfile: (input) =>
      this.exclusive(async () => {
        checkProfileChoice(this.dataDir, input, this.profile);
        const previous = this.profile;
        await this.restartEngine(() => (this.profile = input.name));
        const opened = await this.call('status', {});
        if (!opened.ok) {
          await this.restartEngine(() => (this.profile = previous));
          throw new FerryError(opened.error.code, `Ferry could not open ${input.name}: ${opened.error.message} ${previous} is open again.`);
        }
        if (input.label) await this.call('setSettings', { profileLabel: input.label });
        rememberProfile(this.dataDir, input.name);
        this.log.info({ profile: input.name, created: input.create }, 'profile opened');
        return { profile: input.name, created: input.create };
      }),
    moveDataFolder: ({ to }) =>
      this.exclusive(async () => {
        const locked = this.dataDirLocked;
        if (locked) throw new FerryError('data_dir_locked', locked);
        await this.supervisor.stop(SWITCH_WAIT_MS);
        let movedTo = this.dataDir;
        try {
          const result = await moveDataFolder({ from: this.dataDir, to, appDataDir: this.appDataDir });
          movedTo = result.dataDir;
          this.log.info({ from: this.dataDir, to: movedTo, files: result.files, bytes: result.bytes }, 'data folder moved');
          return result;
        } finally {
          // Moved or not, the same profile opens again: from the new folder, or (after a failure) the old one.
          this.dataDir = movedTo;
          this.supervisor.start();
        }
      }),
  };

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.changing.then(fn);
    this.changing = run.catch(() => undefined);
    return run;
  }

  /** Stops the engine process (its runs finish first), applies the change, starts a new one. */
  private async restartEngine(change: () => void): Promise<void> {
    await this.supervisor.stop(SWITCH_WAIT_MS);
    change();
    this.snapshot = null;
    this.reported.clear();
    this.engineState = 'starting';
    this.supervisor.start();
    this.updateTray();
  }

  private async chooseFolder(): Promise<string | null> {
    const options = { title: 'Choose the new data folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
    const picked = this.win && !this.win.isDestroyed() ? await dialog.showOpenDialog(this.win, options) : await dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  }

  showWindow(): void {
    if (!this.win || this.win.isDestroyed()) {
      this.win = this.createWindow(); // shows itself once its page is ready
      return;
    }
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
  }

  async quit(): Promise<void> {
    this.quitting = true;
    if (this.progressTimer) clearTimeout(this.progressTimer);
    await this.supervisor.stop();
    this.tray?.destroy();
  }

  markQuitting(): void {
    this.quitting = true;
  }

  /** With "keep in tray", closing the last window leaves Ferry running (schedules go on). */
  get staysInTray(): boolean {
    return this.tray !== null && this.store.preferences.keepInTray;
  }

  private createWindow(): BrowserWindow {
    const primary = screen.getPrimaryDisplay();
    const areas: Rect[] = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
    const state = restoreWindowState(this.store.windowState, areas);
    const win = new BrowserWindow({
      x: state.x,
      y: state.y,
      width: state.width,
      height: state.height,
      minWidth: 800,
      minHeight: 560,
      show: false,
      title: 'Ferry',
      webPreferences: {
        preload: path.join(__dirname, 'preload.cjs'), /* eng-disable PRELOAD_JS_CHECK: the preload exposes only window.ferry and window.ferryDesktop through contextBridge (electron/preload.ts) */
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        // The spell checker would download dictionaries: the window has no network of its own.
        spellcheck: false,
        // No middle-click (auxclick) opening of links: new windows come only through setWindowOpenHandler.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    win.once('ready-to-show', () => {
      if (state.maximized) win.maximize();
      win.show();
    });
    win.on('close', (event) => {
      this.saveWindowState(win);
      if (!this.quitting && this.staysInTray) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    win.webContents.on('did-finish-load', () => this.sendEngineState());
    void win.loadFile(rendererIndex);
    return win;
  }

  private saveWindowState(win: BrowserWindow): void {
    const b = win.getNormalBounds();
    this.store.windowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
  }

  private createTray(): void {
    try {
      this.tray = new Tray(this.trayImage());
      this.tray.on('click', () => this.showWindow());
      this.updateTray();
    } catch (err) {
      this.log.warn({ err }, 'no tray icon on this desktop');
      this.tray = null;
    }
  }

  private trayImage() {
    return nativeImage.createFromBuffer(trayIconPng(trayTone(this.shellStatus()), 32), { scaleFactor: 2 });
  }

  private shellStatus(): ShellStatus {
    return { engine: this.engineState, engineMessage: this.engineMessage, snapshot: this.snapshot };
  }

  private updateTray(): void {
    if (!this.tray) return;
    const status = this.shellStatus();
    const menu = trayMenuTemplate(status, {
      open: () => this.showWindow(),
      runAll: () => void this.runAllFromTray(),
      runFlow: (flow) => void this.runFlowFromTray(flow),
      quit: () => app.quit(),
    }, this.running);
    this.tray.setImage(this.trayImage());
    this.tray.setToolTip(String(menu[0]?.label ?? 'Ferry'));
    this.tray.setContextMenu(Menu.buildFromTemplate(menu));
  }

  private call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
    return this.supervisor.call(method, input) as Promise<Result<MethodOutput<M>>>;
  }

  /** A look at the engine's status and failures queue: tray, then notifications for what got worse. */
  private async refresh(): Promise<void> {
    if (this.engineState === 'ready') {
      const [status, failures] = await Promise.all([this.call('status', {}), this.call('listFailures', { limit: FAILURES_LIMIT })]);
      if (status.ok && failures.ok) {
        const next = snapshotOf(status.value, failures.value.failures, FAILURES_LIMIT);
        for (const n of notificationsFor(this.snapshot, next)) if (!n.runId || !this.reported.has(n.runId)) this.notify(n);
        this.snapshot = next;
      }
    }
    this.updateTray();
  }

  /** Soon after a run, not once per run of a burst. */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 1_000);
  }

  private async runFlowFromTray(flow: FlowName): Promise<void> {
    this.running.add(flow);
    this.updateTray();
    const result = await this.call('runFlowNow', { flow });
    this.running.delete(flow);
    this.notifyRunOutcome(result.ok ? [result.value] : [], result.ok ? [] : [{ flow, reason: result.error.message }]);
    this.refreshSoon();
  }

  private async runAllFromTray(): Promise<void> {
    for (const flow of flowNames) this.running.add(flow);
    this.updateTray();
    const result = await this.supervisor.runAll();
    this.running.clear();
    if (result.ok) {
      const { runs, skipped } = result.value as RunAllResult;
      this.notifyRunOutcome(runs, skipped);
    } else {
      this.notify({ kind: 'connection', title: 'Ferry could not run the flows', body: result.error.message });
    }
    this.refreshSoon();
  }

  /** The tray started it, so the tray says how it went (the window may be closed). */
  private notifyRunOutcome(runs: RunSummary[], skipped: { flow: FlowName; reason: string }[]): void {
    for (const r of runs) this.reported.add(r.runId);
    const lines = runs.map((r) =>
      r.outcome === 'failed'
        ? `${r.flow}: could not run (${r.error ?? 'see Activity'})`
        : `${r.flow}: ${r.counts.created} created, ${r.counts.updated} updated, ${r.counts.failed} failed`,
    );
    if (runs.length === 0) lines.push(...skipped.map((s) => `${s.flow}: ${s.reason}`));
    const title = runs.length === 1 ? `${runs[0]!.flow} finished` : runs.length > 1 ? `${runs.length} flows finished` : 'Nothing ran';
    this.notify({ kind: 'failures', title, body: lines.join('\n') });
  }

  private notify(n: ShellNotification): void {
    if (!this.store.preferences.notifications || !Notification.isSupported()) return;
    const notification = new Notification({ title: n.title, body: n.body });
    notification.on('click', () => this.showWindow());
    notification.show();
  }

  private onEngineEvent(e: SupervisorEvent): void {
    switch (e.type) {
      case 'ready':
        this.engineState = 'ready';
        this.engineMessage = null;
        this.sendEngineState();
        void this.refresh();
        return;
      case 'restarting':
        this.engineState = 'restarting';
        this.sendEngineState();
        this.updateTray();
        return;
      case 'failed':
        this.engineState = 'failed';
        this.engineMessage = e.error.message;
        this.sendEngineState();
        this.updateTray();
        this.notify({ kind: 'connection', title: 'Ferry cannot open its data', body: e.error.message });
        return;
      case 'progress': {
        const p = e.progress;
        this.progress.set(p.flow, { type: 'progress', flow: p.flow, runId: p.runId, processed: p.processed, counts: p.counts });
        this.progressTimer ??= setTimeout(() => {
          this.progressTimer = null;
          for (const ev of this.progress.values()) this.send(ev);
          this.progress.clear();
        }, PROGRESS_EVERY_MS);
        return;
      }
      case 'run':
        this.progress.delete(e.run.flow);
        this.send({ type: 'run', run: e.run });
        this.refreshSoon();
        return;
    }
  }

  private sendEngineState(): void {
    if (this.engineState === 'starting') return;
    this.send({ type: 'engine', state: this.engineState, message: this.engineState === 'ready' ? null : this.engineMessage });
  }

  private send(event: EngineEvent): void {
    const win = this.win;
    if (win && !win.isDestroyed()) win.webContents.send(desktopChannels.event, event);
  }

  private get loginItemSupported(): boolean {
    // Linux has no login items here; an unpackaged app would register the development Electron binary.
    return process.platform !== 'linux' && app.isPackaged;
  }

  private preferencesView(): ShellPreferencesView {
    return {
      ...this.store.preferences,
      supported: { openAtLogin: this.loginItemSupported, tray: this.tray !== null, notifications: Notification.isSupported() },
    };
  }

  private setPreferences(patch: Partial<ShellPreferences>): ShellPreferencesView {
    const before = this.store.preferences;
    const next = this.store.setPreferences(patch);
    if (next.openAtLogin !== before.openAtLogin && this.loginItemSupported) {
      app.setLoginItemSettings({ openAtLogin: next.openAtLogin, args: ['--hidden'] });
    }
    return this.preferencesView();
  }
}

function startedAtLogin(): boolean {
  return process.argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}

let shell: DesktopShell | null = null;
let mainLog: Logger | null = null;
let stopped = false;

function start(): void {
  const appDataDir = app.getPath('userData');
  const dataDir = resolveDataDir(appDataDir);
  const log = createLogger(dataDir).child({ process: 'main' });
  mainLog = log;
  hardenSession(session.defaultSession, renderer, log);
  if (process.platform === 'win32') app.setAppUserModelId('com.ferry.desktop');
  // The shell's own preferences belong to this workstation's app-data folder: they stay when the data moves.
  shell = new DesktopShell(dataDir, appDataDir, log, new ShellStore(appDataDir));
  shell.start(startedAtLogin());
}

// Every renderer is sandboxed, and every web contents (the window, DevTools, anything a bug might open) is held
// to Ferry's page before it can load anything.
app.enableSandbox();
app.on('web-contents-created', (_event, contents) =>
  lockDownContents(contents, renderer, { warn: (obj, msg) => (mainLog ? mainLog.warn(obj, msg) : console.warn(msg, obj)) }),
);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => shell?.showWindow());
  app.on('window-all-closed', () => {
    if (shell?.staysInTray) return;
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => shell?.showWindow());
  app.on('before-quit', () => shell?.markQuitting());
  // The engine host finishes the run in progress and closes the database before Ferry exits.
  app.on('will-quit', (event) => {
    if (stopped || !shell) return;
    event.preventDefault();
    void shell.quit().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      app.exit(1);
    });
}
