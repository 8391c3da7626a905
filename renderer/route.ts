import { useEffect, useState } from 'react';

// Hash routes (#/mappings?kind=gl-account&key=610100%7C*): the same in the desktop app (file://) and the
// browser host, and a page can link to another with what it needs prefilled ("Fix mapping" → the row).

/** A window event: the profile's name changed (the shell shows it). */
export const PROFILE_RENAMED = 'ferry:profile-renamed';
/** A window event: another profile is open now (every page reloads what it shows). */
export const PROFILE_OPENED = 'ferry:profile-opened';

export const pages = ['dashboard', 'activity', 'attention', 'mappings', 'schedules', 'settings', 'connections', 'setup'] as const;
export type PageName = (typeof pages)[number];

export interface Route {
  page: PageName;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (pages as readonly string[]).includes(path) ? (path as PageName) : 'dashboard';
  return { page, params: new URLSearchParams(query) };
}

export function routeHref(page: PageName, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params).toString();
  return `#/${page}${q ? `?${q}` : ''}`;
}

/** Goes to a page (a history entry, so Back returns to where the person came from). */
export function navigate(page: PageName, params: Record<string, string> = {}): void {
  window.location.hash = routeHref(page, params);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
