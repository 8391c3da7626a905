// Links the window may open in the person's browser (Electron security checklist: "do not use openExternal with
// untrusted content"). Only https, only these hosts, no credentials in the address, default port. Everything
// else is refused and logged: the window never navigates away from Ferry's own page.

/** Exact host names, or "*.domain" for any subdomain of it (not the domain itself). */
export const externalLinkHosts: readonly string[] = [
  'id.atlassian.com', // API tokens for Jira Cloud
  'support.atlassian.com',
  '*.atlassian.net', // a Jira Cloud site
  'docs.infor.com', // Infor documentation (ION API, .ionapi files)
];

export function isAllowedExternalLink(raw: string, hosts: readonly string[] = externalLinkHosts): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((pattern) => {
    if (!pattern.startsWith('*.')) return host === pattern;
    const domain = pattern.slice(1); // ".atlassian.net": "acme.atlassian.net", never "atlassian.net" or "evilatlassian.net"
    return host.endsWith(domain) && host.length > domain.length;
  });
}
