import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Which addresses belong to Ferry's own window: its page (any #route) and the files next to it. Everything
// else the window might try — a link, a redirect, a fetch to the internet — is refused by main.

/** The address without its #route and ?query. */
const bare = (url: string) => url.split('#')[0]!.split('?')[0]!;

export function isRendererPage(url: string, rendererIndexUrl: string): boolean {
  return bare(url) === rendererIndexUrl;
}

/** A file: URL inside the renderer's folder (the built UI: index.html and its assets). */
export function isRendererFile(url: string, rendererDir: string): boolean {
  if (!url.startsWith('file:')) return false;
  let file: string;
  try {
    file = fileURLToPath(bare(url));
  } catch {
    return false;
  }
  const rel = path.relative(rendererDir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * What the window's session may load: its own files, and the in-memory schemes that never leave the computer.
 * DevTools (devtools:) is allowed so an IT person can still inspect the window.
 */
export function isAllowedRendererRequest(url: string, rendererDir: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:')) return true;
  return isRendererFile(url, rendererDir);
}
