import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraCredentials, setJiraRateLimit, setJiraUnavailable } from '../../electron/engine/sandbox/jira';
import { expectConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Authentication (Cloud API token, Data Center PAT, OAuth 2.0 3LO with rotating refresh tokens), rate
// limits and outages of the sandbox Jira, over real HTTP.

let jira: JiraSandbox;

beforeAll(async () => {
  jira = await startJira();
});
afterAll(async () => {
  setJiraRateLimit(jira.state, null);
  await jira.close();
});

const basic = (email: string, token: string) => ({ header: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` });

async function refresh(body: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${jira.base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  jira.recorded.push({ method: 'POST', path: '/oauth/token', status: res.status, body: json, text: JSON.stringify(json) });
  return { status: res.status, body: json };
}

describe('authentication', () => {
  it('accepts Basic email:API-token and a Data Center personal access token on the site URL', async () => {
    const c = jiraCredentials(jira.state);
    for (const auth of ['basic', 'pat', basic(c.email.toUpperCase(), c.apiToken)] as const) {
      const res = await jira.call('GET', '/rest/api/3/myself', { auth });
      expect(res.status).toBe(200);
      expect((res.body as { accountId: string }).accountId).toBe(jira.state.adminAccountId);
    }
  });

  it('answers 401 with a Jira error body for missing, wrong or misplaced credentials', async () => {
    const c = jiraCredentials(jira.state);
    const token = await jira.oauthToken();
    const cases = [
      { auth: 'none' as const },
      { auth: basic(c.email, 'wrong-token') },
      { auth: basic('someone@else.example', c.apiToken) },
      { auth: { header: 'Bearer not-a-token' } },
      // A 3LO token works only through the API gateway (/ex/jira/{cloudId}), as on api.atlassian.com.
      { auth: { header: `Bearer ${token}` } },
      { auth: 'basic' as const, via: 'gateway' as const },
    ];
    for (const { auth, via } of cases) {
      const res = await jira.call('GET', '/rest/api/3/issue/X-1', { auth, via });
      expect(res.status, JSON.stringify(auth)).toBe(401);
      expect(res.body).toEqual({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
      expect(res.headers.get('www-authenticate')).toBeTruthy();
    }
  });

  it('serves the API under /ex/jira/{cloudId} for OAuth access tokens, with links under that prefix', async () => {
    const res = await jira.call('GET', '/rest/api/3/myself', { via: 'gateway' });
    expect(res.status).toBe(200);
    expect((res.body as { self: string }).self.startsWith(`${jira.gateway}/rest/api/3/user`)).toBe(true);
    const resources = await fetch(`${jira.base}/oauth/token/accessible-resources`, { headers: { authorization: `Bearer ${await jira.oauthToken()}` } });
    expect(((await resources.json()) as { id: string }[])[0]!.id).toBe(jira.state.cloudId);
  });
});

describe('OAuth 2.0 token endpoint', () => {
  it('rotates refresh tokens: each use returns a new one and the old one is dead', async () => {
    const { oauth } = jiraCredentials(jira.state);
    const first = await refresh({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: oauth.clientSecret, refresh_token: oauth.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const next = String(first.body.refresh_token);
    expect(next).not.toBe(oauth.refreshToken);
    expect(jiraCredentials(jira.state).oauth.refreshToken).toBe(next);

    const replay = await refresh({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: oauth.clientSecret, refresh_token: oauth.refreshToken });
    expect(replay.status).toBe(403);
    expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    const badClient = await refresh({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: 'nope', refresh_token: next });
    expect(badClient.status).toBe(401);
    // Form-encoded bodies work too, and the still-current token is accepted.
    const form = await fetch(`${jira.base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: oauth.clientSecret, refresh_token: next }).toString(),
    });
    expect(form.status).toBe(200);
  });

  it('expires access tokens after one hour of sandbox time', async () => {
    const token = await jira.oauthToken();
    const auth = { header: `Bearer ${token}` };
    expect((await jira.call('GET', '/rest/api/3/myself', { via: 'gateway', auth })).status).toBe(200);
    jira.ctx.clock.advance(59 * 60_000);
    expect((await jira.call('GET', '/rest/api/3/myself', { via: 'gateway', auth })).status).toBe(200);
    jira.ctx.clock.advance(2 * 60_000);
    expect((await jira.call('GET', '/rest/api/3/myself', { via: 'gateway', auth })).status).toBe(401);
  });
});

describe('rate limits and outages', () => {
  it('answers 429 with Retry-After, X-RateLimit-* and RateLimit-Reason once the budget is spent', async () => {
    setJiraRateLimit(jira.state, { perMinute: 3, reason: 'jira-cost-based' });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<JiraSandbox['call']>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await jira.call('GET', '/rest/api/3/myself');
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-ratelimit-limit')).toBe('3');
        expect(last.headers.get('x-ratelimit-remaining')).toBe('2');
        expect(last.headers.get('x-ratelimit-nearlimit')).toBe('false');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const h = last!.headers;
    expect(Number(h.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(h.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(new Date(h.get('x-ratelimit-reset')!).getTime()).toBeGreaterThan(jira.ctx.clock.now('jira'));
    expect(h.get('x-ratelimit-remaining')).toBe('0');
    expect(h.get('x-ratelimit-nearlimit')).toBe('true');
    expect(h.get('ratelimit-reason')).toBe('jira-cost-based');
    // A refused credential does not use up the budget, and the window ends with the sandbox minute.
    jira.ctx.clock.advance(61_000);
    expect((await jira.call('GET', '/rest/api/3/myself')).status).toBe(200);
    setJiraRateLimit(jira.state, null);
    const free = await jira.call('GET', '/rest/api/3/myself');
    expect(free.status).toBe(200);
    expect(free.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('limits writes per issue with jira-per-issue-on-write, leaving reads alone', async () => {
    const key = jira.state.issues[0]!.key;
    setJiraRateLimit(jira.state, { perMinute: 1, reason: 'jira-per-issue-on-write' });
    try {
      const edit = () => jira.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { customfield_10051: 'CC999' } } });
      expect((await edit()).status).toBe(204);
      const second = await edit();
      expect(second.status).toBe(429);
      expect(second.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
      expect((await jira.call('GET', `/rest/api/3/issue/${key}?fields=summary`)).status).toBe(200);
      const other = jira.state.issues[1]!.key;
      expect((await jira.call('PUT', `/rest/api/3/issue/${other}`, { body: { fields: { customfield_10051: 'CC999' } } })).status).toBe(204);
    } finally {
      setJiraRateLimit(jira.state, null);
    }
  });

  it('answers 503 with Retry-After during an outage, then recovers', async () => {
    setJiraUnavailable(jira.state, { requests: 2, retryAfterSeconds: 7 });
    const a = await jira.call('GET', '/rest/api/3/myself');
    const b = await jira.call('GET', '/rest/api/3/myself');
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect((await jira.call('GET', '/rest/api/3/myself')).status).toBe(200);
  });
});

describe('contract', () => {
  it('every response of this file conforms to the Jira OpenAPI description', () => {
    expectConformance(jira.recorded, 10);
  });
});
