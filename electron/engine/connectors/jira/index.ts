import { z } from 'zod';
import { FerryError } from '../../../../shared/errors';
import { ATLASSIAN_API_URL, ATLASSIAN_TOKEN_URL, jiraBasic, jiraOAuth, jiraPat, type JiraAccess, type SaveRefreshToken } from '../../auth/jira';
import type { HttpPool } from '../../http/pool';
import { JiraClient, type JiraClientOptions } from './client';

// A stored Jira connection → a live client. `config` is the public part, `secrets` is sealed; both are
// checked on the way in, so a damaged row yields a sentence rather than a crash mid-run.

export { JiraClient, type JiraClientOptions } from './client';
export { JiraError } from './errors';
export { verifyHubSignature } from './signature';
export { WORKLOG_LIST_MAX } from './worklogs';
export type * from './types';

export const jiraConfig = z.discriminatedUnion('auth', [
  /** Jira Cloud: the site URL (https://acme.atlassian.net) and the account's email. */
  z.object({ auth: z.literal('basic'), baseUrl: z.url(), email: z.string().min(3) }),
  /** Jira Data Center: its base URL. */
  z.object({ auth: z.literal('pat'), baseUrl: z.url() }),
  /** OAuth 2.0 (3LO): the site URL picks the site among those the app was granted. */
  z.object({
    auth: z.literal('oauth'),
    baseUrl: z.url(),
    clientId: z.string().min(1),
    tokenUrl: z.url().default(ATLASSIAN_TOKEN_URL),
    apiUrl: z.url().default(ATLASSIAN_API_URL),
    cloudId: z.string().min(1).optional(),
  }),
]);
export type JiraConfig = z.input<typeof jiraConfig>;

const secretsByKind = {
  basic: z.object({ apiToken: z.string().min(1) }),
  pat: z.object({ personalAccessToken: z.string().min(1) }),
  oauth: z.object({ clientSecret: z.string().min(1), refreshToken: z.string().min(1) }),
} as const;
export type JiraSecrets = { apiToken: string } | { personalAccessToken: string } | { clientSecret: string; refreshToken: string };

export interface ConnectJira extends JiraClientOptions {
  config: JiraConfig;
  secrets: JiraSecrets;
  pool: HttpPool;
  /** Required for OAuth: stores each new refresh token (sealed) before Ferry uses the access token. */
  saveRefreshToken?: SaveRefreshToken;
  /** The site's request budget per minute; null adapts to its 429s (Jira Cloud's limits are cost-based). */
  rateLimitPerMinute?: number | null;
}

const DAMAGED = 'The stored Jira connection is incomplete; enter its address and credentials again in Connections.';

export function connectJiraClient(o: ConnectJira): JiraClient {
  const config = jiraConfig.safeParse(o.config);
  if (!config.success) throw new FerryError('connection_damaged', DAMAGED);
  const c = config.data;
  const secrets = secretsByKind[c.auth].safeParse(o.secrets);
  if (!secrets.success) throw new FerryError('connection_damaged', DAMAGED);
  const values = Object.values(secrets.data as Record<string, string>);
  const http = o.pool.create({ system: 'Jira', limiterKey: `jira:${new URL(c.baseUrl).host}`, perMinute: o.rateLimitPerMinute ?? null, secrets: values });
  let access: JiraAccess;
  if (c.auth === 'basic') access = jiraBasic({ siteUrl: c.baseUrl, email: c.email, apiToken: (secrets.data as { apiToken: string }).apiToken });
  else if (c.auth === 'pat') access = jiraPat({ baseUrl: c.baseUrl, token: (secrets.data as { personalAccessToken: string }).personalAccessToken });
  else {
    if (!o.saveRefreshToken) throw new FerryError('internal', 'A Jira OAuth connection needs somewhere to save its rotating refresh token.');
    const s = secrets.data as { clientSecret: string; refreshToken: string };
    access = jiraOAuth(http, {
      tokenUrl: c.tokenUrl,
      apiUrl: c.apiUrl,
      siteUrl: c.baseUrl,
      cloudId: c.cloudId,
      clientId: c.clientId,
      clientSecret: s.clientSecret,
      refreshToken: s.refreshToken,
      saveRefreshToken: o.saveRefreshToken,
    });
  }
  return new JiraClient(http, access, { searchPageSize: o.searchPageSize, verifyDelayMs: o.verifyDelayMs });
}
