import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { control, idoLoad, ionapiOf, passwordToken, tokenRequest } from '../helpers/sandbox';
import { tempDir } from '../helpers/temp';

// ION's sign-in server and gateway, over real HTTP, with two tenants at once.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('ION token endpoint (pu + ot)', () => {
  it('serves TST and PRD at once, each with its own .ionapi and credentials', async () => {
    expect(Object.keys(sandbox.tenants)).toEqual(['FERRY_TST', 'FERRY_PRD']);
    const tst = ionapiOf(sandbox, 'FERRY_TST');
    const prd = ionapiOf(sandbox, 'FERRY_PRD');
    expect(tst.ci).not.toBe(prd.ci);
    const token = await passwordToken(sandbox, 'FERRY_PRD');
    expect((await idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_PRD')).status).toBe(200);
    // A PRD token is no good for TST.
    const cross = await idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_TST');
    expect(cross.status).toBe(401);
  });

  it('grants password tokens with client credentials in the form or as HTTP Basic', async () => {
    const f = ionapiOf(sandbox);
    for (const basic of [false, true]) {
      const res = await tokenRequest(f, { grant_type: 'password', username: f.saak!, password: f.sask! }, basic);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(res.body.refresh_token).toBeUndefined();
    }
  });

  it('refuses a wrong client secret (401 invalid_client) and a wrong service account (400 invalid_grant)', async () => {
    const f = ionapiOf(sandbox);
    expect(await tokenRequest({ ...f, cs: 'wrong' }, { grant_type: 'password', username: f.saak!, password: f.sask! })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await tokenRequest(f, { grant_type: 'password', username: f.saak!, password: 'wrong' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await tokenRequest(f, { grant_type: 'magic' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('grants client_credentials only to the client-credentials app', async () => {
    const cc = ionapiOf(sandbox, 'FERRY_TST', 'client-credentials');
    const ok = await tokenRequest(cc, { grant_type: 'client_credentials' });
    expect(ok.status).toBe(200);
    expect((await idoLoad(sandbox, ok.body.access_token as string, 'SLVendors?properties=VendNum')).status).toBe(200);
    expect(await tokenRequest(ionapiOf(sandbox), { grant_type: 'client_credentials' })).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    expect(await tokenRequest(cc, { grant_type: 'password', username: 'x', password: 'y' })).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
  });

  it('issues and honours refresh tokens only when the app is set to, and revoking the refresh token ends the grant', async () => {
    const f = ionapiOf(sandbox);
    expect(await tokenRequest(f, { grant_type: 'refresh_token', refresh_token: 'anything' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { issueRefreshTokens: true });
    try {
      const first = await tokenRequest(f, { grant_type: 'password', username: f.saak!, password: f.sask! });
      const refresh = first.body.refresh_token as string;
      expect(refresh).toBeTruthy();
      const renewed = await tokenRequest(f, { grant_type: 'refresh_token', refresh_token: refresh });
      expect(renewed.status).toBe(200);
      expect(renewed.body.access_token).not.toBe(first.body.access_token);
      const revoke = await fetch(f.pu + f.or, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${refresh}&token_type_hint=refresh_token` });
      expect(revoke.status).toBe(200);
      expect((await tokenRequest(f, { grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(400);
      expect((await idoLoad(sandbox, renewed.body.access_token as string, 'SLVendors?properties=VendNum')).status).toBe(401);
    } finally {
      await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { issueRefreshTokens: false });
    }
  });
});

describe('ION gateway', () => {
  it('answers 401 with www-authenticate for a missing, invalid, expired or revoked token', async () => {
    const expectError = async (res: Response, error: string) => {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain(`error="${error}"`);
    };
    await expectError(await fetch(`${sandbox.endpoints.gateway}/FERRY_TST/CSI/IDORequestService/ido/load/SLPos`), 'invalid_request');
    await expectError(await idoLoad(sandbox, 'not-a-token', 'SLPos'), 'invalid_token');

    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { tokenLifetimeSeconds: 60 });
    const short = await passwordToken(sandbox);
    expect((await idoLoad(sandbox, short, 'SLPos?properties=PoNum')).status).toBe(200);
    await control(sandbox, 'POST', '/control/clock/advance', { ms: 61_000 });
    await expectError(await idoLoad(sandbox, short, 'SLPos?properties=PoNum'), 'invalid_token');
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { tokenLifetimeSeconds: 3600 });

    const token = await passwordToken(sandbox);
    const revoked = await control<{ revoked: number }>(sandbox, 'POST', '/control/tenants/FERRY_TST/revoke-tokens');
    expect(revoked.body.revoked).toBeGreaterThan(0);
    await expectError(await idoLoad(sandbox, token, 'SLPos?properties=PoNum'), 'invalid_token');
  });

  it('enforces a per-tenant quota with 429, with a Retry-After and without any hint', async () => {
    for (const style of ['retry-after', 'no-hint'] as const) {
      const token = await passwordToken(sandbox, 'FERRY_PRD');
      await control(sandbox, 'POST', '/control/clock/advance', { ms: 61_000 });
      await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { quotaPerMinute: 5, quotaStyle: style });
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 7; i++) {
        last = await idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_PRD');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      if (style === 'retry-after') expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      else expect(last!.headers.get('retry-after')).toBeNull();
      // Another tenant's quota is its own.
      expect((await idoLoad(sandbox, await passwordToken(sandbox, 'FERRY_TST'), 'SLVendors?properties=VendNum')).status).toBe(200);
      // A minute later the window has room again.
      await control(sandbox, 'POST', '/control/clock/advance', { ms: 61_000 });
      expect((await idoLoad(sandbox, await passwordToken(sandbox, 'FERRY_PRD'), 'SLVendors?properties=VendNum', 'FERRY_PRD')).status).toBe(200);
    }
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { quotaPerMinute: null });
  });

  it('arrests spikes within one second', async () => {
    const token = await passwordToken(sandbox, 'FERRY_PRD');
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { spikeArrestPerSecond: 2, quotaStyle: 'retry-after' });
    const statuses = await Promise.all([1, 2, 3, 4].map(() => idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_PRD').then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { spikeArrestPerSecond: null });
  });

  it('answers 504 when the backend is slower than the gateway waits', async () => {
    const token = await passwordToken(sandbox, 'FERRY_PRD');
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { backendDelayMs: 400, gatewayTimeoutMs: 150 });
    const started = Date.now();
    const res = await idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_PRD');
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { backendDelayMs: 100, gatewayTimeoutMs: 60_000 });
    expect((await idoLoad(sandbox, token, 'SLVendors?properties=VendNum', 'FERRY_PRD')).status).toBe(200);
    await control(sandbox, 'PUT', '/control/tenants/FERRY_PRD/gateway', { backendDelayMs: 0 });
  });
});
