import { createClient, httpPath, type FerryApi } from '../shared/api';
import type { Result } from '../shared/errors';

declare global {
  interface Window {
    /** Set by electron/preload.ts in the desktop app; absent in the browser host. */
    ferry?: FerryApi;
  }
}

const TOKEN_KEY = 'ferry.token';

/**
 * The renderer's one way to reach the engine. In the desktop app the preload script provides it over IPC;
 * in the browser host it is built here over HTTP with the token from the address Ferry printed.
 */
export function connectApi(): FerryApi {
  if (window.ferry) return window.ferry;
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, history and any screenshot of the window.
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  return createClient(async (method, input): Promise<Result<unknown>> => {
    try {
      const res = await fetch(httpPath(method), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      return (await res.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'offline', message: 'Ferry is not answering. Check that it is still running, then reload this page.' } };
    }
  });
}
