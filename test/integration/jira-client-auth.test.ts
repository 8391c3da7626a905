import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraOAuth } from '../../electron/engine/auth/jira';
import { JiraClient } from '../../electron/engine/connectors/jira';
import { Http } from '../../electron/engine/http/client';
import { ConnectorError } from '../../electron/engine/http/errors';
import { jiraCredentials } from '../../electron/engine/sandbox/jira';
import { AUTH_KINDS, connect } from './jira-client-harness';
import { expectRequestConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Signing in to the sandbox Jira the three ways Ferry can: Basic and PAT on the site URL, OAuth 2.0 (3LO)
// through /ex/jira/{cloudId} with rotating refresh tokens that are saved before their access token is used.

let jira: JiraSandbox;
let issueKey: string;

beforeAll(async () => {
  jira = await startJira({ seed: 11 });
  issueKey = jira.state.issues[0]!.key;
});
afterAll(() => jira.close());

const tokenCalls = (from: number) => jira.sent.slice(from).filter((r) => r.method === 'POST' && r.url === '/oauth/token');
const latestAccessToken = () => Object.keys(jira.state.oauth.accessTokens).at(-1)!;

describe('base URL and credentials', () => {
  it('reads the same issue with Basic and PAT on the site URL and with OAuth through /ex/jira/{cloudId}', async () => {
    for (const kind of AUTH_KINDS) {
      const { client } = connect(jira, kind);
      const from = jira.sent.length;
      const issue = await client.issues.get(issueKey, ['summary']);
      expect(issue, kind).toMatchObject({ key: issueKey, fields: { summary: jira.state.issues[0]!.summary } });
      const expected = kind === 'oauth' ? `${jira.base}/ex/jira/${jira.state.cloudId}` : jira.base;
      expect(await client.baseUrl()).toBe(expected);
      const api = jira.sent.slice(from).filter((r) => r.url.includes('/rest/api/3/issue/'));
      expect(api.map((r) => r.url.startsWith(kind === 'oauth' ? `/ex/jira/${jira.state.cloudId}/` : '/rest/'))).toEqual([true]);
      expect(api[0]!.authorization, kind).toMatch(kind === 'basic' ? /^Basic / : /^Bearer /);
    }
  });

  it('looks the cloud id up once, whatever the number of calls', async () => {
    const { client } = connect(jira, 'oauth');
    const from = jira.sent.length;
    for (let i = 0; i < 3; i++) await client.issues.get(issueKey, ['summary']);
    expect(jira.sent.slice(from).filter((r) => r.url === '/oauth/token/accessible-resources')).toHaveLength(1);
  });

  it('turns refused static credentials into a sentence, not a loop', async () => {
    const { client } = connect(jira, 'basic');
    const stale = new JiraClient(new Http({ system: 'Jira' }), { kind: 'basic', auth: { header: async () => `Basic ${Buffer.from('x@y.z:wrong').toString('base64')}`, invalidate: () => undefined }, baseUrl: client.baseUrl.bind(client) });
    const err = await stale.issues.get(issueKey, ['summary']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('auth_expired');
    expect((err as ConnectorError).message).toMatch(/Jira did not accept Ferry's sign-in/);
  });
});

describe('OAuth 2.0 rotating refresh tokens', () => {
  it('saves the new refresh token before the first request with the new access token; the old token is dead', async () => {
    const first = jiraCredentials(jira.state).oauth.refreshToken;
    const from = jira.sent.length;
    const atSave: { token: string; access: string; sentSoFar: number; serverToken: string }[] = [];
    const { client, saved } = connect(jira, 'oauth', {
      save: (token) => {
        atSave.push({ token, access: latestAccessToken(), sentSoFar: jira.sent.length, serverToken: jira.state.oauth.refreshToken });
      },
    });
    await client.issues.get(issueKey, ['summary']);

    expect(saved).toHaveLength(1);
    const [s] = atSave as [(typeof atSave)[number]];
    expect(s.token).not.toBe(first);
    expect(s.serverToken).toBe(s.token); // Atlassian had already rotated when Ferry saved
    const uses = jira.sent.map((r, i) => ({ r, i })).filter(({ r }) => r.authorization === `Bearer ${s.access}`);
    expect(uses.length).toBeGreaterThan(0);
    // Every request with the new access token came after the save; the one before the save was the refresh.
    expect(uses.every(({ i }) => i >= s.sentSoFar)).toBe(true);
    expect(jira.sent[s.sentSoFar - 1]).toMatchObject({ method: 'POST', url: '/oauth/token', status: 200 });
    expect(tokenCalls(from)).toHaveLength(1);

    // The refresh token Ferry started with no longer works anywhere.
    const c = jiraCredentials(jira.state).oauth;
    const old = await fetch(`${jira.base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: first }) });
    expect(old.status).toBe(403);
    expect(await old.json()).toMatchObject({ error: 'invalid_grant' });

    const stale = connect(jira, 'oauth', { refreshToken: first });
    const err = await stale.client.issues.get(issueKey, ['summary']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('auth_refused');
    expect((err as ConnectorError).message).toMatch(/invalid_grant.*already used.*Connect Jira again/);
  });

  it('never uses an access token whose refresh token could not be saved, and recovers with the token it kept', async () => {
    const unsaved: string[] = [];
    let failures = 1;
    const { client, saved } = connect(jira, 'oauth', {
      save: () => {
        if (failures-- > 0) {
          unsaved.push(latestAccessToken());
          throw new Error('the disk is full');
        }
      },
    });
    await expect(client.issues.get(issueKey, ['summary'])).rejects.toThrow('the disk is full');
    expect(unsaved).toHaveLength(1);
    expect(jira.sent.filter((r) => r.authorization === `Bearer ${unsaved[0]}`)).toEqual([]);

    // The next call refreshes with the token whose save failed (held in memory: not locked out) and saves again.
    const issue = await client.issues.get(issueKey, ['summary']);
    expect(issue?.key).toBe(issueKey);
    expect(saved).toHaveLength(1);
    expect(jira.state.oauth.refreshToken).toBe(saved[0]);
    expect(jira.sent.filter((r) => r.authorization === `Bearer ${unsaved[0]}`)).toEqual([]);
  });

  it('refreshes once for many concurrent calls (single flight)', async () => {
    const { client, saved } = connect(jira, 'oauth');
    const from = jira.sent.length;
    const keys = jira.state.issues.slice(0, 6).map((i) => i.key);
    const got = await Promise.all(keys.map((k) => client.issues.get(k, ['summary'])));
    expect(got.map((g) => g?.key)).toEqual(keys);
    expect(tokenCalls(from)).toHaveLength(1);
    expect(saved).toHaveLength(1);
  });

  it('refreshes before the access token expires, without waiting for a 401', async () => {
    let now = Date.now();
    const c = jiraCredentials(jira.state).oauth;
    const saved: string[] = [];
    const http = new Http({ system: 'Jira' });
    const access = jiraOAuth(http, {
      tokenUrl: `${jira.base}/oauth/token`,
      apiUrl: jira.base,
      siteUrl: jira.base,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      refreshToken: c.refreshToken,
      saveRefreshToken: (t) => void saved.push(t),
      now: () => now,
    });
    const client = new JiraClient(http, access);
    const from = jira.sent.length;
    await client.issues.get(issueKey, ['summary']);
    now += 3_590_000; // ten seconds before the hour is up: inside the renewal margin
    await client.issues.get(issueKey, ['summary']);
    expect(tokenCalls(from)).toHaveLength(2);
    expect(saved).toHaveLength(2);
    expect(jira.sent.slice(from).filter((r) => r.status === 401)).toEqual([]);
  });

  it('renews after Jira says 401 (token expired on Jira’s clock), saving first', async () => {
    const { client, saved } = connect(jira, 'oauth');
    await client.issues.get(issueKey, ['summary']);
    jira.ctx.clock.advance(2 * 3_600_000);
    const from = jira.sent.length;
    await client.issues.get(issueKey, ['summary']);
    const seq = jira.sent.slice(from).map((r) => `${r.method} ${r.url.replace(/\?.*/, '')} ${r.status}`);
    const api = `GET /ex/jira/${jira.state.cloudId}/rest/api/3/issue/${issueKey}`;
    expect(seq).toEqual([`${api} 401`, 'POST /oauth/token 200', `${api} 200`]);
    expect(saved).toHaveLength(2);
  });
});

describe('requests', () => {
  it('match the official OpenAPI description', () => {
    expectRequestConformance(jira.sent, 10);
  });
});
