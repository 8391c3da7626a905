import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ionTokenCache } from '../../electron/engine/auth/ion';
import { IdoClient } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { Http } from '../../electron/engine/http/client';
import { TokenBucket } from '../../electron/engine/http/rate-limit';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { control } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// A tenant whose ION quota is 120 requests a minute (no Retry-After, as ION documents none), and a run
// that needs more than that: one IDO page per purchase order. Real time, real HTTP: about a minute each.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
const POS = 130;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST', 'FERRY_PRD'], poCount: POS, origin: TEST_ORIGIN });
  for (const t of ['FERRY_TST', 'FERRY_PRD']) await control(sandbox, 'PUT', `/control/tenants/${t}/gateway`, { quotaPerMinute: 120, quotaStyle: 'no-hint' });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

async function readEveryPo(tenant: string, limit: number | null) {
  const http = new Http({ system: 'CloudSuite', limiter: new TokenBucket(limit) });
  const ionapi = parseIonapi(fs.readFileSync(sandbox.tenants[tenant]!.files.ionapi, 'utf8'));
  const ido = new IdoClient(http, ionTokenCache(http, ionapi), { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: sandbox.tenants[tenant]!.mongooseConfig });
  const started = Date.now();
  let pos = 0;
  for await (const page of ido.loadPages('SLPos', { properties: ['PoNum'], orderBy: 'PoNum', recordCap: 1 })) pos += page.length;
  return { pos, http, seconds: (Date.now() - started) / 1000 };
}

describe('a 120/min ION quota', () => {
  it('with the limit configured, the run finishes without a single 429', async () => {
    const before = sandbox.stats.count({ system: 'ido', status: 429 });
    const { pos, http, seconds } = await readEveryPo('FERRY_TST', 120);
    expect(pos).toBe(POS);
    expect(http.stats.throttled).toBe(0);
    expect(sandbox.stats.count({ system: 'ido', status: 429 })).toBe(before);
    // It had to spread the work out: more than 120 requests cannot fit in one minute.
    expect(seconds).toBeGreaterThan(55);
    console.log(`configured 120/min: ${http.stats.requests} requests in ${seconds.toFixed(1)} s, ${http.stats.throttled} × 429, waited ${(http.stats.waitedMs / 1000).toFixed(1)} s for the budget`);
  });

  it('with the limit unknown, it learns it from the first 429 and finishes with few', async () => {
    const { pos, http, seconds } = await readEveryPo('FERRY_PRD', null);
    expect(pos).toBe(POS);
    expect(http.stats.throttled).toBeGreaterThanOrEqual(1);
    expect(http.stats.throttled).toBeLessThanOrEqual(3);
    console.log(`unknown limit: ${http.stats.requests} requests in ${seconds.toFixed(1)} s, ${http.stats.throttled} × 429, waited ${(http.stats.waitedMs / 1000).toFixed(1)} s`);
  });
});
