// The renderer's Content-Security-Policy, in one place: renderer/index.html carries it as a <meta> tag (the
// only way it reaches a page loaded from file://), and main adds the same policy as a response header where
// Chromium lets it (defence in depth). Its rules: Ferry's own files only; no eval, no inline script, no
// plugins, no frames, no forms, no <base>; inline styles are allowed because Fluent UI (Griffel) inserts its
// styles at run time; images may be data: URIs. connect-src 'self' is for the browser host's own /api/* calls;
// the desktop window has no network at all (main cancels every request that is not one of its files).

export type CspDirectives = Record<string, readonly string[]>;

export const rendererCsp: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'manifest-src': ["'none'"],
};

/** Directives a <meta> policy ignores (with a console warning): they only work as a header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

export function buildCsp(directives: CspDirectives, { forMeta = false } = {}): string {
  return Object.entries(directives)
    .filter(([name]) => !(forMeta && HEADER_ONLY.has(name)))
    .map(([name, sources]) => {
      if (!/^[a-z-]+$/.test(name)) throw new Error(`not a CSP directive name: ${name}`);
      for (const s of sources) if (/[;,\s]/.test(s)) throw new Error(`not a CSP source: ${s}`);
      return sources.length > 0 ? `${name} ${sources.join(' ')}` : name;
    })
    .join('; ');
}

/** The header form: the meta policy plus what only a header can say. */
export const rendererCspHeader = buildCsp({ ...rendererCsp, 'frame-ancestors': ["'none'"] });

/** The tag for renderer/index.html. */
export const rendererCspMeta = `<meta http-equiv="Content-Security-Policy" content="${buildCsp(rendererCsp, { forMeta: true })}" />`;
