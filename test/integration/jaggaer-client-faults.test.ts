import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JaggaerClient } from '../../electron/engine/connectors/jaggaer/client';
import { HttpPool } from '../../electron/engine/http/pool';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { jaggaerCredentials, type JaggaerState } from '../../electron/engine/sandbox/jaggaer/index';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// Writes that are not idempotent, when the connection fails around them: the sandbox's fault profiles cut
// the answer after JAGGAER applied the write (truncate) or fail before it did (502). Whatever happens,
// JAGGAER must end up with exactly one supplier / one invoice.

const TENANT = 'FERRY_TST';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let state: JaggaerState;
let client: JaggaerClient;

const posts = (route: string) => sandbox.stats.count({ system: 'jaggaer', method: 'POST', route });

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: [TENANT], seed: 12, poCount: 20, origin: TEST_ORIGIN });
  state = sandbox.runtime(TENANT).jaggaer;
  const creds = jaggaerCredentials(state);
  // Short backoff: the test is about what is sent, not about how long Ferry waits.
  const http = new HttpPool({ retry: { baseDelayMs: 5, maxDelayMs: 20 } }).create({ system: 'JAGGAER', secrets: [creds.clientSecret, creds.sharedSecret] });
  client = new JaggaerClient(http, { baseUrl: sandbox.tenants[TENANT]!.endpoints.jaggaer, ...creds });
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('JAGGAER client: lost answers to writes', () => {
  it('does not create a second supplier when the connection breaks after JAGGAER created the first', async () => {
    sandbox.faults.set({ rules: [{ system: 'jaggaer', path: '/companyprofiles', method: 'POST', truncateRate: 1 }] });
    const before = posts('companyprofiles');

    const bravoId = await client.companies.create({ companyName: 'Cut Connection Supply', extCode: 'FT-CUT-1' });

    expect(sandbox.faults.injected.truncate).toBe(1);
    // Sent once: the search found the supplier, so the create was not repeated, and its bravoId came back.
    expect(posts('companyprofiles')).toBe(before + 1);
    expect(state.suppliers.filter((s) => s.extCode === 'FT-CUT-1').map((s) => s.bravoId)).toEqual([bravoId]);
  });

  it('sends a create again when a search proves the first attempt never reached JAGGAER', async () => {
    // Seeded: the first POST draws a 502 before JAGGAER's handler runs, the second goes through.
    sandbox.faults.set({ seed: 8, rules: [{ system: 'jaggaer', path: '/companyprofiles', method: 'POST', errorRate: { '502': 0.5 } }] });
    const before = posts('companyprofiles');

    const bravoId = await client.companies.create({ companyName: 'Bad Gateway Supply', extCode: 'FT-502-1' });

    expect(sandbox.faults.injected['502']).toBe(1);
    expect(posts('companyprofiles')).toBe(before + 2);
    expect(state.suppliers.filter((s) => s.extCode === 'FT-502-1').map((s) => s.bravoId)).toEqual([bravoId]);
  });

  it('does not import an invoice twice when the answer to the import is lost', async () => {
    sandbox.faults.set({ rules: [{ system: 'jaggaer', path: '/invoices/ocr', method: 'POST', truncateRate: 1 }] });
    const supplier = state.suppliers.find((s) => s.extCode)!;
    const before = posts('invoices/ocr');

    const done = await client.invoices.importIncoming({
      batchId: 'ferry-cut-1',
      supplierNumber: supplier.extCode!,
      supplierInvoiceNumber: 'CUT-INV-1',
      invoiceDate: '2026-02-03',
      currency: 'USD',
      lines: [{ line: 1, description: 'Subscription renewal', unitOfMeasure: 'EA', quantity: 1, unitPrice: 1290 }],
    });

    expect(posts('invoices/ocr')).toBe(before + 1);
    const imported = state.invoices.filter((i) => i.supplierInvoiceNumber === 'CUT-INV-1');
    expect(imported.map((i) => String(i.invoiceId))).toEqual([done.invoiceId]);
  });

  it('reports an unknown outcome, not a success, when the proof search itself cannot run', async () => {
    // Every answer from JAGGAER's company profiles is cut: the create and the search that would prove it.
    sandbox.faults.set({ rules: [{ system: 'jaggaer', path: '/companyprofiles', truncateRate: 1 }] });
    const err = await client.companies.create({ companyName: 'Unknown Outcome Supply', extCode: 'FT-CUT-2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'write_uncertain', retryable: true });
    sandbox.faults.clear();
    // The next run checks first, and finds the one supplier the lost create made.
    expect((await client.companies.findByExtCode('FT-CUT-2')).length).toBe(1);
    expect(state.suppliers.filter((s) => s.extCode === 'FT-CUT-2')).toHaveLength(1);
  });
});
