import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowNames } from '../../shared/api';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { diagnoseConnections } from '../../electron/engine/connectors/diagnose';
import { isoDay } from '../../electron/engine/mapping/periods';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { checkCloudSuiteRequests } from '../helpers/cloudsuite-contract-check';
import { startRecordingGateway, type RecordingGateway } from '../helpers/recording-gateway';
import { SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { ionapiOf } from '../helpers/sandbox';
import { closeWorld, openWorld, type World } from '../helpers/world';

// Every CloudSuite request Ferry makes — every flow and the connection test, on each product — is written
// down on the wire by a pass-through gateway and checked against the contract files (the JSON with a public
// source for each name), read on their own. A name the contract lacks fails here, whatever the sandbox says.

describe('the contract check itself', () => {
  it('flags names no public source has: an invented method, property, load parameter, MI transaction, input and a query-string maxrecs', () => {
    const ido = '/FERRY_TST/CSI/IDORequestService/ido';
    const mi = '/FERRY_PRD/M3/m3api-rest/v2/execute';
    const { problems } = checkCloudSuiteRequests([
      { method: 'POST', url: `${ido}/invoke/SLAptrxs?method=PostVoucher`, body: '[]' },
      { method: 'GET', url: `${ido}/load/SLAptrxs?properties=Voucher,Stat`, body: '' },
      { method: 'GET', url: `${ido}/load/SLPos?properties=PoNum&readOnly=true`, body: '' },
      { method: 'GET', url: `${ido}/load/SLPos?properties=PoNum&filter=${encodeURIComponent("VendName = N'A = B'")}`, body: '' },
      { method: 'POST', url: `${ido}/update/SLAptrxds`, body: JSON.stringify({ Changes: [{ Properties: [{ Name: 'Description', Value: 'x', Modified: true }] }] }) },
      { method: 'POST', url: `${ido}/update/SLAptrxps`, body: JSON.stringify({ Changes: [{ Properties: [{ Name: 'InvAmt', Value: '1', Modified: true }] }] }) },
      { method: 'GET', url: `${mi}/APS200MI/LstChanged;maxrecs=100?CONO=100`, body: '' },
      { method: 'GET', url: `${mi}/CRS620MI/LstByNumber?SUNO=A&maxrecs=500`, body: '' },
      { method: 'GET', url: `${mi}/APS450MI/AddLine;maxrecs=100?INBN=1&RDTP=8&AIT1=6500`, body: '' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/method SLAptrxs\.PostVoucher is not in the contract/),
      expect.stringMatching(/property SLAptrxs\.Stat is not in the contract/),
      expect.stringMatching(/load parameter "readOnly" is not one Infor documents/),
      expect.stringMatching(/property SLPos\.VendName is not in the contract/),
      expect.stringMatching(/property SLAptrxds\.Description is not in the contract/),
      expect.stringMatching(/property SLAptrxps\.InvAmt is read-only/),
      expect.stringMatching(/APS200MI\/LstChanged is not in the contract/),
      expect.stringMatching(/no ;maxrecs matrix parameter/),
      expect.stringMatching(/input maxrecs is not an input of CRS620MI\/LstByNumber/),
      expect.stringMatching(/input AIT1 is not an input of APS450MI\/AddLine/),
    ]);
  });
});

/** Calls each product's flows must have made: the voucher, journal, PO, vendor and period paths all ran. */
const EXERCISED = {
  industrial: [
    'SLAptrxs.AptrxGetVoucherNoSp()', 'SLAptrxs.AptrxpSp()', 'SLAptrxs.Ref', 'SLAptrxds.Acct', 'SLAptrxps.Ref',
    'SLJournals.GetJournalDefVarsSp()', 'SLJournals.ImportJournalEntriesSp()', 'SLJournals.GlPostSp3()', 'SLLedgers.FromId',
    'SLPeriods.DateChkSp()', 'SLPos.Uf_JiraKey', 'SLPoItems.NonInvAcct', 'SLVendors.VadCity', 'SLVendaddrs.Name',
  ],
  m3: [
    'PPSSPPMI/LstSupHead', 'PPS200MI/LstLine', 'APS450MI/AddHead', 'APS450MI/AddLine', 'APS450MI/ApproveInvoice', 'APS455MI/ValidByBatchNo',
    'GLS840MI/AddBatchHead', 'GLS840MI/AddBatchLine', 'GLS840MI/UpdBatch', 'GLS200MI/LstVouchersByDt', 'APS200MI/GetInvoice',
    'CRS620MI/LstByNumber', 'CRS620MI/GetBasicData', 'CRS620MI/LstAddresses', 'MRS001MI/LstTransactions',
  ],
};

describe.each(['industrial', 'm3'] as const)('every CloudSuite request of every flow on %s', (product) => {
  let w: World;
  let gateway: RecordingGateway;

  beforeAll(async () => {
    w = await openWorld({ product, poCount: 40, seed: 31 });
    gateway = await startRecordingGateway(w.sandbox.endpoints.gateway);
    // The same connection, its gateway address pointed at the recorder (the sign-in server stays as it is).
    const ionapi = parseIonapi(JSON.stringify({ ...ionapiOf(w.sandbox), iu: gateway.url }));
    saveCloudSuiteConnection(w.engine.profile, ionapi, product === 'industrial' ? w.sandbox.mongooseConfig : null, {
      product,
      rateLimitPerMinute: 10_000,
      ...(product === 'm3' ? { m3: SANDBOX_M3_SETTINGS } : {}),
    });
    const d = w.sandbox.clock.date();
    setJiraFlowSettings(w.engine.profile.db, { posting: { startDate: isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)) } });
  }, 120_000);
  afterAll(async () => {
    await gateway.close();
    await closeWorld(w);
  });

  it('names only what the contract has, in the connection test and in every flow, twice over', { timeout: 300_000 }, async () => {
    const [diagnosis] = await diagnoseConnections(w.engine.profile, 'cloudsuite');
    expect(diagnosis!.ok, JSON.stringify(diagnosis!.steps)).toBe(true);
    for (let pass = 0; pass < 2; pass++) {
      for (const flow of flowNames) {
        const run = await w.engine.runFlow(flow);
        expect(run.outcome, `${flow}: ${run.error}`).not.toBe('failed');
      }
    }
    const use = checkCloudSuiteRequests(gateway.requests);
    expect(use.problems).toEqual([]);
    // The flows did go through the recorder, and exercised the calls the contract is about.
    const cloudsuite = gateway.requests.filter((r) => /\/CSI\/|\/M3\//.test(r.url));
    expect(cloudsuite.length).toBeGreaterThan(200);
    console.log(`${product}: ${cloudsuite.length} CloudSuite requests, ${use.names.size} distinct names, all in the contract`);
    expect([...use.names]).toEqual(expect.arrayContaining(EXERCISED[product]));
  });
});
