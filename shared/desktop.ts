import { z } from 'zod';
import { FlowCounts, FlowName, RunSummary } from './api';
import type { Result } from './errors';

// The desktop shell's own small bridge, `window.ferryDesktop`, beside `window.ferry` (shared/api.ts). It exists
// only in the desktop app (electron/preload.ts); the browser host has none, and the Settings page then hides
// what it offers. It carries the shell's preferences (kept by main in electron-store, never in the profile's
// database) and the engine's live events; nothing else.

/** What a person may change about the desktop shell. */
export const ShellPreferences = z.object({
  /** Start Ferry when this person signs in to the computer (hidden in the tray when keepInTray is on). */
  openAtLogin: z.boolean(),
  /** Closing the window leaves Ferry running in the tray, so schedules keep running. */
  keepInTray: z.boolean(),
  /** Native notifications for new failures and for runs that could not reach a system. */
  notifications: z.boolean(),
});
export type ShellPreferences = z.infer<typeof ShellPreferences>;

export const ShellPreferencesPatch = ShellPreferences.partial().strict();
export type ShellPreferencesPatch = z.infer<typeof ShellPreferencesPatch>;

/** The preferences and what this computer supports (start at login does nothing on Linux). */
export const ShellPreferencesView = ShellPreferences.extend({
  supported: z.object({ openAtLogin: z.boolean(), tray: z.boolean(), notifications: z.boolean() }),
});
export type ShellPreferencesView = z.infer<typeof ShellPreferencesView>;

/** What happens in the engine while the window is open, for pages that want to refresh as it happens. */
export const EngineEvent = z.discriminatedUnion('type', [
  /** A run in progress (at most a few per second). */
  z.object({ type: z.literal('progress'), flow: FlowName, runId: z.string(), processed: z.number().int(), counts: FlowCounts }),
  /** A run finished: by its schedule, from the tray or from a page. */
  z.object({ type: z.literal('run'), run: RunSummary }),
  /** The engine process: `restarting` after it stopped unexpectedly, `ready` when it answers again, `failed` when it cannot open the profile. */
  z.object({ type: z.literal('engine'), state: z.enum(['ready', 'restarting', 'failed']), message: z.string().nullable() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

export interface FerryDesktop {
  getPreferences(): Promise<Result<ShellPreferencesView>>;
  setPreferences(patch: ShellPreferencesPatch): Promise<Result<ShellPreferencesView>>;
  /** The operating system's folder picker (Settings → Data folder); null when the person cancelled. */
  chooseFolder(): Promise<Result<string | null>>;
  /** Calls `listener` for each engine event; returns the function that stops it. */
  onEngineEvent(listener: (event: EngineEvent) => void): () => void;
}

export const desktopChannels = {
  getPreferences: 'ferry-desktop:getPreferences',
  setPreferences: 'ferry-desktop:setPreferences',
  chooseFolder: 'ferry-desktop:chooseFolder',
  event: 'ferry-desktop:event',
} as const;

/** The desktop bridge where the preload script set one up, else null (browser host, tests). */
export function desktopBridge(): FerryDesktop | null {
  return (globalThis as { ferryDesktop?: FerryDesktop }).ferryDesktop ?? null;
}
