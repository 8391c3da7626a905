import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/errors';
import { ionTokenCache } from '../../electron/engine/auth/ion';
import { IdoClient, IdoError } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { Http } from '../../electron/engine/http/client';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The IDO client over real HTTP against the sandbox's ION gateway.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, poCount: 23, seed: 3, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

function client() {
  const http = new Http({ system: 'CloudSuite' });
  const ionapi = parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8'));
  const tokens = ionTokenCache(http, ionapi);
  const ido = new IdoClient(http, tokens, { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: sandbox.mongooseConfig });
  return { http, tokens, ido, ionapi };
}

describe('IdoClient', () => {
  it('follows the bookmark page by page until MoreRowsExist is false, each row once and in order', async () => {
    const { ido, http } = client();
    const pages: string[][] = [];
    for await (const items of ido.loadPages('SLPos', { properties: ['PoNum', 'RecordDate'], orderBy: 'PoNum', recordCap: 5 })) {
      pages.push(items.map((i) => String(i.PoNum)));
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    const all = pages.flat();
    expect(all).toEqual(sandbox.runtime().ido.rows('SLPos').map((p) => p.PoNum).sort());
    expect(http.stats.requests).toBe(1 + 5); // one token, five pages
  });

  it('sends properties, filter and orderBy, and returns _ItemId unless readOnly', async () => {
    const { ido } = client();
    const po = sandbox.runtime().ido.rows('SLPos')[4]!;
    const page = await ido.loadPage('SLPos', { properties: ['PoNum', 'VendNum'], filter: `PoNum = N'${po.PoNum}'` });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ PoNum: po.PoNum, VendNum: po.VendNum });
    expect(Object.keys(page.items[0]!).sort()).toEqual(['PoNum', 'VendNum', '_ItemId']);
    expect(page.moreRowsExist).toBe(false);

    const lines = await ido.loadAll('SLPoItems', {
      properties: ['PoNum', 'PoLine'],
      filter: `PoNum IN (N'${po.PoNum}') AND PoLine >= 1`,
      orderBy: 'PoLine DESC',
      recordCap: 0,
    });
    const expected = sandbox.runtime().ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum).map((l) => l.PoLine).sort().reverse();
    expect(lines.map((l) => l.PoLine)).toEqual(expected);
  });

  it('turns Success:false into a typed IdoError with the server message', async () => {
    const { ido } = client();
    // Names outside the contract, as a customer's mistyped field setting would send them (the types forbid them here).
    await expect(ido.loadPage('SLPos', { properties: ['PoNum', 'NoSuchProperty' as never] })).rejects.toSatisfy(
      (e: unknown) => e instanceof IdoError && e.ido === 'SLPos' && /NoSuchProperty/.test(e.message),
    );
    await expect(ido.loadPage('SLPos', { properties: ['PoNum'], filter: 'PoNum = ' })).rejects.toBeInstanceOf(IdoError);
    await expect(ido.loadPage('SLNothing' as never, { properties: ['PoNum'] })).rejects.toThrow(/SLNothing/);
  });

  it('renews a token the gateway stopped accepting, once, and carries on', async () => {
    const { ido, tokens, ionapi } = client();
    await ido.loadPage('SLVendors', { properties: ['VendNum'] });
    const revoked = tokens.current!.accessToken;
    await fetch(ionapi.revokeUrl!, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: revoked }).toString() });
    const page = await ido.loadPage('SLVendors', { properties: ['VendNum'] });
    expect(page.items.length).toBe(sandbox.runtime().ido.rows('SLVendors').length);
    expect(tokens.current!.accessToken).not.toBe(revoked);
  });

  it('refreshes the token before it expires rather than after', async () => {
    const shortDir = tempDir();
    const short = await startSandbox({ dir: shortDir.dir, tokenLifetimeSeconds: 2, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
    try {
      const http = new Http({ system: 'CloudSuite' });
      const ionapi = parseIonapi(fs.readFileSync(short.files.ionapi, 'utf8'));
      // Renew when less than 1.5 s is left, capped at half the 2 s lifetime: i.e. after 1 s.
      const tokens = ionTokenCache(http, ionapi, 1500);
      const ido = new IdoClient(http, tokens, { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: short.mongooseConfig });
      await ido.loadPage('SLVendors', { properties: ['VendNum'] });
      await new Promise((r) => setTimeout(r, 1200));
      await ido.loadPage('SLVendors', { properties: ['VendNum'] });
      expect(short.tokens.issued).toBe(2);
      expect(http.stats.requests).toBe(4); // no 401 round trip was needed
    } finally {
      await short.close();
      shortDir.remove();
    }
  });

  it('says plainly when the gateway cannot be reached', async () => {
    const http = new Http({ system: 'CloudSuite', retry: { maxAttempts: 2, baseDelayMs: 10 } });
    const ionapi = { ...parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), tokenUrl: 'http://127.0.0.1:9/as/token.oauth2' };
    const ido = new IdoClient(http, ionTokenCache(http, ionapi), { idoBase: 'http://127.0.0.1:9/ido', mongooseConfig: 'X' });
    await expect(ido.loadPage('SLPos', { properties: ['PoNum'] })).rejects.toSatisfy(
      (e: unknown) => e instanceof FerryError && e.code === 'unreachable' && /could not reach CloudSuite/.test(e.message),
    );
  });
});
