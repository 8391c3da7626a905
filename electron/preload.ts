import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, methodNames } from '../shared/api';
import { desktopChannels, type EngineEvent, type FerryDesktop, type ShellPreferencesPatch } from '../shared/desktop';

// Exposes window.ferry — one function per method of shared/api.ts — and window.ferryDesktop — the desktop
// shell's preferences and the engine's events (shared/desktop.ts) — and nothing else: no ipcRenderer, no event
// objects, no Node.
const api = Object.fromEntries(methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input)]));

const desktop: FerryDesktop = {
  getPreferences: () => ipcRenderer.invoke(desktopChannels.getPreferences),
  setPreferences: (patch: ShellPreferencesPatch) => ipcRenderer.invoke(desktopChannels.setPreferences, patch),
  chooseFolder: () => ipcRenderer.invoke(desktopChannels.chooseFolder),
  onEngineEvent(listener) {
    const relay = (_event: unknown, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(desktopChannels.event, relay);
    return () => {
      ipcRenderer.removeListener(desktopChannels.event, relay);
    };
  },
};

contextBridge.exposeInMainWorld('ferry', api);
contextBridge.exposeInMainWorld('ferryDesktop', desktop);
