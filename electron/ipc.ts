import { ipcMain, type WebFrameMain } from 'electron';
import { ipcChannel, methodNames, type MethodName } from '../shared/api';
import { desktopChannels, ShellPreferencesPatch, type ShellPreferencesView } from '../shared/desktop';
import { toErrorInfo, type Result } from '../shared/errors';

// ipcMain handlers generated from shared/api.ts (window.ferry), plus the desktop bridge's own (window.ferryDesktop).
// Each checks its sender frame first: only Ferry's own page, in its top frame, may call. The API's input is
// validated by dispatch() in the engine host, where the call is answered.

export type TrustedFrame = (frame: WebFrameMain | null) => boolean;

const untrusted = { ok: false, error: { code: 'untrusted_sender', message: 'This request did not come from Ferry’s own window.' } } as const;

/** One handler per API method, each forwarding to the engine host (`call`). */
export function registerIpc(call: (method: MethodName, input: unknown) => Promise<Result<unknown>>, isTrustedFrame: TrustedFrame): void {
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), (event, input: unknown) => (isTrustedFrame(event.senderFrame) ? call(method, input) : untrusted));
  }
}

export interface DesktopPreferences {
  get(): ShellPreferencesView;
  set(patch: ShellPreferencesPatch): ShellPreferencesView;
  /** The OS folder picker, owned by the window (null: cancelled). */
  chooseFolder(): Promise<string | null>;
}

export function registerDesktopIpc(prefs: DesktopPreferences, isTrustedFrame: TrustedFrame): void {
  ipcMain.handle(desktopChannels.getPreferences, (event): Result<ShellPreferencesView> => {
    if (!isTrustedFrame(event.senderFrame)) return untrusted;
    return { ok: true, value: prefs.get() };
  });
  ipcMain.handle(desktopChannels.chooseFolder, async (event): Promise<Result<string | null>> => {
    if (!isTrustedFrame(event.senderFrame)) return untrusted;
    return { ok: true, value: await prefs.chooseFolder() };
  });
  ipcMain.handle(desktopChannels.setPreferences, (event, patch: unknown): Result<ShellPreferencesView> => {
    if (!isTrustedFrame(event.senderFrame)) return untrusted;
    try {
      return { ok: true, value: prefs.set(ShellPreferencesPatch.parse(patch ?? {})) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  });
}
