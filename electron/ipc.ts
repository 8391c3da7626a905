import { ipcMain, type WebFrameMain } from 'electron';
import { dispatch, ipcChannel, methodNames } from '../shared/api';
import type { Engine } from './engine/engine';

/**
 * ipcMain handlers generated from shared/api.ts: one per method, each validating its sender frame and its
 * input through the same dispatch() the browser host uses.
 */
export function registerIpc(engine: Engine, isTrustedFrame: (frame: WebFrameMain | null) => boolean): void {
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), (event, input: unknown) => {
      if (!isTrustedFrame(event.senderFrame)) {
        return { ok: false, error: { code: 'untrusted_sender', message: 'This request did not come from Ferry’s own window.' } };
      }
      return dispatch(engine.handlers, method, input, (err) => engine.log.error({ err, method }, 'API call failed'));
    });
  }
}
