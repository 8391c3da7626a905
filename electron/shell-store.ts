import Store from 'electron-store';
import { ShellPreferences, type ShellPreferencesPatch } from '../shared/desktop';
import { defaultWindowState, type WindowState } from './window-state';

// The desktop shell's own small settings (DESIGN.md, "Storage": window size and UI preferences go to
// electron-store; everything that matters goes to the database). Kept beside the data folder, owner-only.

interface ShellStoreShape {
  window: WindowState;
  preferences: ShellPreferences;
}

export function defaultPreferences(platform = process.platform): ShellPreferences {
  // Linux desktops without a status-notifier area show no tray icon: a hidden window there would be lost.
  return { openAtLogin: false, keepInTray: platform !== 'linux', notifications: true };
}

export class ShellStore {
  private readonly store: Store<ShellStoreShape>;

  constructor(dir: string) {
    this.store = new Store<ShellStoreShape>({
      name: 'desktop',
      cwd: dir,
      configFileMode: 0o600,
      clearInvalidConfig: true,
      defaults: { window: defaultWindowState, preferences: defaultPreferences() },
    });
  }

  get windowState(): unknown {
    return this.store.get('window');
  }

  set windowState(state: WindowState) {
    this.store.set('window', state);
  }

  get preferences(): ShellPreferences {
    const parsed = ShellPreferences.safeParse(this.store.get('preferences'));
    return parsed.success ? parsed.data : defaultPreferences();
  }

  setPreferences(patch: ShellPreferencesPatch): ShellPreferences {
    const next = ShellPreferences.parse({ ...this.preferences, ...patch });
    this.store.set('preferences', next);
    return next;
  }
}
