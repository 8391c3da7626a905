import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../electron/engine/sandbox/context';
import { generateJaggaer, jaggaerCredentials, registerJaggaer, type JaggaerState } from '../../electron/engine/sandbox/jaggaer/index';
import { makeTenant, tenantRows } from '../helpers/jaggaer-sandbox';
import { TEST_ORIGIN } from '../helpers/origin';

// Generation: deterministic per seed, plain JSON, and graceful with a tenant that has no data at all.

const world = (seed: number, rows = tenantRows(20)): JaggaerState => {
  const ctx = createContext({ seed, scale: 'small', origin: TEST_ORIGIN.getTime() });
  return generateJaggaer(ctx, makeTenant(ctx, rows));
};
// Secrets are random on purpose (the default seed is public); everything else must repeat.
const withoutSecrets = (s: JaggaerState) => ({ ...s, auth: { ...s.auth, clientSecret: '', sharedSecret: '', signingKey: '' } });

describe('JAGGAER sandbox: generation', () => {
  it('gives the same world for the same seed and a different one for another seed', () => {
    const a = world(1);
    const b = world(1);
    expect(withoutSecrets(b)).toEqual(withoutSecrets(a));
    expect(b.auth.clientSecret).not.toBe(a.auth.clientSecret);
    const c = world(2);
    expect(c.suppliers.map((s) => s.extUniqueCode)).not.toEqual(a.suppliers.map((s) => s.extUniqueCode));
    expect(c.invoices.map((i) => i.lines.map((l) => `${l.poNumber}:${l.quantity}`).join())).not.toEqual(a.invoices.map((i) => i.lines.map((l) => `${l.poNumber}:${l.quantity}`).join()));
  });

  it('is plain JSON: a saved and reloaded state serves the same answers', async () => {
    const ctx = createContext({ seed: 3, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const tenant = makeTenant(ctx, tenantRows(6));
    const original = generateJaggaer(ctx, tenant);
    const reloaded = JSON.parse(JSON.stringify(original)) as JaggaerState;
    expect(reloaded).toEqual(original);
    const answers: string[] = [];
    for (const state of [original, reloaded]) {
      const app = Fastify();
      await registerJaggaer(app, ctx, tenant, state);
      const { clientId, clientSecret } = jaggaerCredentials(state);
      const tok = await app.inject({ method: 'POST', url: '/auth/realms/J1p-integrations/protocol/openid-connect/token', payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const headers = { authorization: `Bearer ${(tok.json() as { access_token: string }).access_token}` };
      const id = state.invoices[0]!.invoiceId;
      const res = await Promise.all(['/j1p/api/public/ja/v1/companyprofiles', '/j1p/api/public/ji/v1/invoices', `/j1p/api/public/ji/v1/invoices/${id}`].map((url) => app.inject({ url, headers })));
      answers.push(res.map((r) => r.body).join('\n'));
      await app.close();
    }
    expect(answers[1]).toBe(answers[0]);
  });

  it('generates a usable JAGGAER for a tenant without vendors, POs or charts', async () => {
    const ctx = createContext({ seed: 1, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const tenant = makeTenant(ctx, {});
    const state = generateJaggaer(ctx, tenant);
    expect(state.suppliers.length).toBeGreaterThan(0);
    expect(state.suppliers.every((s) => s.extCode === null)).toBe(true);
    expect(state.invoices.length).toBeGreaterThan(0);
    expect(state.invoices.every((i) => i.lines.every((l) => l.poNumber === null))).toBe(true);
    const app = Fastify();
    await registerJaggaer(app, ctx, tenant, state);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const addr = app.server.address() as { port: number };
      const { clientId, clientSecret } = jaggaerCredentials(state);
      const base = `http://127.0.0.1:${addr.port}`;
      const tok = (await (await fetch(`${base}/auth/realms/J1p-integrations/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }) })).json()) as { access_token: string };
      const res = await fetch(`${base}/j1p/api/public/ji/v1/invoices/${state.invoices[0]!.invoiceId}`, { headers: { authorization: `Bearer ${tok.access_token}` } });
      expect(res.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keeps generated timestamps in the past, so a "since now" read starts empty', () => {
    const ctx = createContext({ seed: 5, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const state = generateJaggaer(ctx, makeTenant(ctx, tenantRows(30)));
    const now = ctx.clock.now('jaggaer');
    for (const s of state.suppliers) expect(Date.parse(s.lastModTime)).toBeLessThan(now);
    for (const i of state.invoices) {
      expect(Date.parse(i.lastUpdate)).toBeLessThan(now);
      expect(Date.parse(i.lastUpdate)).toBeGreaterThanOrEqual(Date.parse(i.invoiceCreateDate));
    }
    // Ids rise with creation date, as JAGGAER numbers invoices on arrival.
    const byId = [...state.invoices].sort((a, b) => a.invoiceId - b.invoiceId).map((i) => i.invoiceCreateDate);
    expect(byId).toEqual([...byId].sort());
  });
});
