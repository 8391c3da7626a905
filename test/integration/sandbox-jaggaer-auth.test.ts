import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from '../../electron/engine/http/client';
import { jaggaerTokenCache } from '../../electron/engine/auth/jaggaer';
import { jaggaerCredentials } from '../../electron/engine/sandbox/jaggaer/index';
import { startJaggaer, type JaggaerHarness } from '../helpers/jaggaer-sandbox';

// Keycloak client credentials and the bearer check every J1P REST endpoint makes, over real HTTP.

const TOKEN = '/auth/realms/J1p-integrations/protocol/openid-connect/token';
const REST = ['/j1p/api/public/ja/v1/companyprofiles?start=1', '/j1p/api/public/ji/v1/invoices', '/j1p/api/public/ji/v1/invoices/2600001'];

let h: JaggaerHarness;
beforeAll(async () => {
  h = await startJaggaer();
});
afterAll(async () => {
  await h.close();
});

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + TOKEN, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('JAGGAER sandbox: Keycloak token', () => {
  it('issues a standard Keycloak token for client credentials in the form', async () => {
    const { clientId, clientSecret } = jaggaerCredentials(h.state);
    const res = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 300, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'profile email' });
    expect(typeof res.body.access_token).toBe('string');
    const list = await h.get('/j1p/api/public/ja/v1/companyprofiles', res.body.access_token as string);
    expect(list.status).toBe(200);
  });

  it('accepts the client credentials as HTTP Basic too', async () => {
    const { clientId, clientSecret } = jaggaerCredentials(h.state);
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('refuses a wrong secret or an unknown client with 401 unauthorized_client', async () => {
    const { clientId } = jaggaerCredentials(h.state);
    for (const form of [
      { grant_type: 'client_credentials', client_id: clientId, client_secret: 'wrong' },
      { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' },
    ]) {
      const res = await tokenRequest(form);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    }
  });

  it('answers 400 for a missing grant type (a JSON body counts as missing) or an unsupported one', async () => {
    const { clientId, clientSecret } = jaggaerCredentials(h.state);
    expect((await tokenRequest({ client_id: clientId, client_secret: clientSecret })).body.error).toBe('invalid_request');
    const json = await fetch(h.url + TOKEN, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }) });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
    const pw = await tokenRequest({ grant_type: 'password', client_id: clientId, client_secret: clientSecret });
    expect(pw.status).toBe(400);
    expect(pw.body.error).toBe('unsupported_grant_type');
  });

  it("works with Ferry's own token cache, and the cache surfaces a bad secret", async () => {
    const { clientId, clientSecret } = jaggaerCredentials(h.state);
    const good = jaggaerTokenCache(new Http({ system: 'JAGGAER' }), { baseUrl: h.url, clientId, clientSecret });
    const token = await good.get();
    expect((await h.get('/j1p/api/public/ji/v1/invoices', token)).status).toBe(200);
    const bad = jaggaerTokenCache(new Http({ system: 'JAGGAER' }), { baseUrl: h.url, clientId, clientSecret: 'wrong' });
    await expect(bad.get()).rejects.toThrow();
  });
});

describe('JAGGAER sandbox: bearer check on J1P REST', () => {
  it('answers 401 with WWW-Authenticate when the token is missing or not one of ours', async () => {
    for (const path of REST) {
      const missing = await fetch(h.url + path);
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="J1p-integrations"/);
      expect(((await missing.json()) as { error: string }).error).toBe('invalid_token');
      const forged = await h.get(path, 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl');
      expect(forged.status, path).toBe(401);
    }
    const post = await h.post('/j1p/api/public/ja/v1/companyprofiles', { company: { operationCode: 'CREATE', companyInfo: { companyName: 'X' } } }, null);
    expect(post.status).toBe(401);
    const ocr = await h.post('/j1p/api/public/ji/v1/invoices/ocr', {}, 'garbage');
    expect(ocr.status).toBe(401);
  });

  it('expires tokens on the sandbox clock', async () => {
    const { clientId, clientSecret } = jaggaerCredentials(h.state);
    const res = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const token = res.body.access_token as string;
    // exp is in whole seconds (JWT), so stay clear of the boundary by more than a second on either side.
    h.ctx.clock.advance(295_000);
    expect((await h.get('/j1p/api/public/ji/v1/invoices', token)).status).toBe(200);
    h.ctx.clock.advance(10_000);
    for (const path of REST) {
      const expired = await h.get(path, token);
      expect(expired.status, path).toBe(401);
      expect(expired.body.error_description).toBe('Token is expired');
    }
    const fresh = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect((await h.get('/j1p/api/public/ji/v1/invoices', fresh.body.access_token as string)).status).toBe(200);
  });
});
