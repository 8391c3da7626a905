import { shell, type Session, type WebContents } from 'electron';
import { rendererCspHeader } from './csp';
import { isAllowedExternalLink } from './external-links';
import { isAllowedRendererRequest, isRendererFile, isRendererPage } from './renderer-urls';

// The Electron security checklist, applied in one place (README, "Desktop shell and security"). main.ts calls
// hardenSession once for the window's session and lockDownContents for every web contents Electron creates.

export interface Logish {
  warn(obj: object, msg: string): void;
}

export interface RendererLocation {
  dir: string;
  indexUrl: string;
}

/** No permissions, no network of its own, and the CSP as a header too where Chromium applies one to file://. */
export function hardenSession(ses: Session, renderer: RendererLocation, log: Logish): void {
  // Camera, microphone, notifications, geolocation, clipboard, openExternal…: the window needs none of them.
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn({ permission }, 'the window asked for a permission; refused');
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The engine (its own process, Node's network stack) reaches the outside; the window never does.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRendererRequest(details.url, renderer.dir);
    if (!allowed) log.warn({ url: details.url.slice(0, 200) }, 'the window tried to load something that is not Ferry’s own; refused');
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType === 'mainFrame' && isRendererFile(details.url, renderer.dir)) {
      // The policy is a constant built in csp.ts (unit-tested), which electronegativity cannot read; it checks the
      // same policy in renderer/index.html's <meta> tag instead.
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [rendererCspHeader] } }); /* eng-disable CSP_GLOBAL_CHECK */
    } else {
      callback({});
    }
  });
}

/** The window shows only Ferry's page: no navigation, no new windows, no webviews; allowed links open in the browser. */
export function lockDownContents(contents: WebContents, renderer: RendererLocation, log: Logish): void {
  const openOutside = (url: string) => {
    if (isAllowedExternalLink(url)) {
      void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK: only https links to the allow-listed hosts of external-links.ts reach this line */
    } else {
      log.warn({ url: url.slice(0, 200) }, 'a link to an address Ferry does not open was refused');
    }
  };
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isRendererPage(url, renderer.indexUrl)) return;
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (isRendererPage(url, renderer.indexUrl)) return;
    event.preventDefault();
    log.warn({ url: url.slice(0, 200) }, 'the window was redirected away from Ferry’s page; refused');
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
