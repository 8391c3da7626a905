import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionDiagnosis } from '../../shared/api';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { lastJsonLine, runCli } from '../helpers/cli';
import { addM3Template, M3_TEMPLATE_SUPPLIER, SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { tempDir } from '../helpers/temp';

// Connecting CloudSuite M3 from a terminal and testing the connection, against the sandbox: the M3 settings
// Infor does not publish are given as options and checked (exit code 2 with the reason), and the connection
// test asks the tenant for every MI transaction Ferry uses (MRS001MI) and says, setting by setting, what
// Ferry will do or what is still to be set up.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sb'), tenants: ['FERRY_TST'] });
  addM3Template(sandbox.runtime().ido);
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const ferry = (dataDir: string, args: string[]) => runCli([...args, '--data-dir', path.join(tmp.dir, dataDir)], undefined, 60_000);
const ionapi = () => sandbox.tenants.FERRY_TST!.files.ionapi;
const s = SANDBOX_M3_SETTINGS;
const fullSetup = [
  '--product', 'm3', '--company', '100', '--division', 'AAA', '--m3-gl-parm', s.glParm, '--m3-supplier-template', s.supplierTemplate,
  '--m3-supplier-address', '1/MAIN', '--m3-po-account', '*=610100/CC100', '--m3-po-account', 'type:R=650300', '--m3-po-line-type', '1', '--m3-payables-account', '201000',
];

async function contractStep(dataDir: string) {
  const test = await ferry(dataDir, ['connections', 'test', '--system', 'cloudsuite', '--json']);
  const [cs] = (lastJsonLine(test.stdout) as { connections: ConnectionDiagnosis[] }).connections;
  return { code: test.code, cs: cs!, step: (name: string) => cs!.steps.find((x) => x.step === name)! };
}

describe('ferry connect cloudsuite --product m3', () => {
  it('refuses a setting it cannot use, with the reason, exit code 2, and saves nothing', async () => {
    const bad: [string[], RegExp][] = [
      [['--m3-gl-parm', '{date}{amount}'], /the template is not a PARM template Ferry can use: it has no \{account\}/],
      [['--m3-po-account', 'everything=610100'], /the key must be \*, item:ITEM or type:ORDERTYPE/],
      [['--m3-supplier-address', 'MAIN'], /use TYPE\/NUMBER, the address type \(ADTE\) and address number \(ADID\), e\.g\. 1\/MAIN/],
      [['--m3-po-line-type', 'PO'], /use the line type number, 1 to 99/],
      [['--division', 'DIV1'], /the division must be a division code of up to 3 letters or digits/],
    ];
    for (const [args, message] of bad) {
      const r = await ferry('refused', ['connect', 'cloudsuite', '--ionapi', ionapi(), '--product', 'm3', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const industrial = await ferry('refused', ['connect', 'cloudsuite', '--ionapi', ionapi(), '--config', 'CSI_TST', '--m3-po-line-type', '1']);
    expect(industrial.code).toBe(2);
    expect(industrial.stderr).toMatch(/are for CloudSuite M3: add --product m3/);
    expect((await ferry('refused', ['connections', 'list', '--json'])).stdout).toMatch(/"configured":false/);
  });

  it('connects with every setting, previews the PARM, and the connection test confirms the contract and says what Ferry will do', async () => {
    const connect = await ferry('full', ['connect', 'cloudsuite', '--ionapi', ionapi(), ...fullSetup]);
    expect(connect.code, connect.stderr).toBe(0);
    expect(connect.stdout).toMatch(/GL lines go to M3 as PARM "\d{8}650500 {4}CC500 {5}PRJ001/);
    const preview = await ferry('full', ['connections', 'm3-gl-parm']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`Template: ${s.glParm}`);
    expect(preview.stdout).toMatch(/PARM: +"20261130650500 {4}CC500 {5}PRJ001 {4}.{40} {10}1200\.50Hours x rate {28}" \(135 characters; date 1–8, account 9–18, costCenter 19–28, project 29–38, amount 79–95, text 96–135\)/);
    const tried = await ferry('full', ['connections', 'm3-gl-parm', '--template', '{date};{account};{amount}']);
    expect(tried.stdout).toMatch(/PARM: +"20261130;650500;1200\.50"/);
    expect((await ferry('full', ['connections', 'm3-gl-parm', '--template', '{account}'])).code).toBe(2);

    const { code, cs, step } = await contractStep('full');
    expect(code, JSON.stringify(cs.steps)).toBe(0);
    expect(cs.steps.map((x) => [x.step, x.status])).toEqual([
      ['dns', 'ok'], ['connect', 'ok'], ['tls', 'skipped'], ['sign-in', 'ok'], ['permission', 'ok'], ['product', 'ok'], ['contract', 'ok'],
    ]);
    expect(step('product').detail).toBe('CloudSuite M3 company 100 division AAA: PPSSPPMI lists purchase orders.');
    const detail = step('contract').detail;
    expect(detail).toMatch(/^All 24 MI transactions Ferry uses exist in 9 programs \(MRS001MI\)\./);
    expect(detail).toMatch(/GL journals go to GLS840MI interface FERRY \(your M3 administrator sets it up for Ferry\), each line as PARM "20261130650500/);
    expect(detail).toContain(`New suppliers are copies of template supplier ${M3_TEMPLATE_SUPPLIER} (CRS620MI CopyTemplate)`);
    expect(detail).toContain('Supplier addresses are read and written as address type 1 number MAIN; contact names and e-mails stay in JAGGAER');
    expect(detail).toContain('PO lines are booked as * → 610100/CC100, type:R → 650300');
    expect(detail).toContain('Invoice lines matched to a PO line go in as APS450MI line type 1; other lines cannot be coded through APS450MI and wait in Needs attention.');
    expect(detail).toContain('invoice-to-jaggaer reads supplier invoices from the ledger (GLS200MI LstVouchersByDt, APS200MI GetInvoice) by their lines on payables account 201000');
  });

  it('says setting by setting what is not set up yet, and fails the test for a template supplier M3 does not have', async () => {
    expect((await ferry('bare', ['connect', 'cloudsuite', '--ionapi', ionapi(), '--product', 'm3'])).code).toBe(0);
    const bare = await contractStep('bare');
    expect(bare.code).toBe(0);
    const detail = bare.step('contract').detail;
    for (const missing of ['--m3-gl-parm', '--m3-supplier-template', '--m3-supplier-address', '--m3-po-account', '--m3-po-line-type', '--m3-payables-account']) {
      expect(detail).toContain(missing);
    }
    expect(detail).toMatch(/GL journals: not set up\. Ferry posts none until it has the PARM layout/);
    expect(detail).toMatch(/Voucher read-back: not set up\. M3 publishes no list of supplier invoices/);
    expect((await ferry('bare', ['connections', 'm3-gl-parm'])).stderr).toMatch(/No PARM template is set for CloudSuite M3/);

    // A re-import changes only what it names; a template supplier the tenant does not have fails the step.
    expect((await ferry('bare', ['connect', 'cloudsuite', '--ionapi', ionapi(), '--product', 'm3', '--m3-supplier-template', 'NOSUCH'])).code).toBe(0);
    const wrong = await contractStep('bare');
    expect(wrong.code).toBe(1);
    expect(wrong.step('contract')).toMatchObject({ status: 'failed' });
    expect(wrong.step('contract').detail).toMatch(/template supplier NOSUCH Ferry copies for new suppliers does not exist/);
    expect(wrong.step('contract').fix).toMatch(/--m3-supplier-template SUPPLIER/);
  });
});
