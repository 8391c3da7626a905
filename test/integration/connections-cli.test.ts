import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionDiagnosis } from '../../shared/api';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { lastJsonLine, runCli } from '../helpers/cli';
import { control } from '../helpers/sandbox';
import { filesBelow, tempDir } from '../helpers/temp';

// Setting up connections the way an IT person does it from a terminal, against the sandbox.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let dataDir: string;
const read = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sb'), tenants: ['FERRY_TST'] });
  dataDir = path.join(tmp.dir, 'ferry');
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const ferry = (args: string[], input?: string) => runCli([...args, '--data-dir', dataDir], undefined, 60_000, input);
const files = () => sandbox.tenants.FERRY_TST!.files;

describe('ferry connect / connections', () => {
  it('connects all three systems with secrets from stdin, lists them and tests them step by step', async () => {
    const choose = await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi]);
    expect(choose.code).toBe(2);
    expect(choose.stderr).toMatch(/Choose the CloudSuite configuration with --config; this server has: CSI_TST, CSI_TRAIN/);

    expect((await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi, '--config', 'CSI_TST'])).code).toBe(0);
    const j = read<{ baseUrl: string; clientId: string; clientSecret: string; identity: string; sharedSecret: string }>(files().jaggaer);
    const jag = await ferry(['connect', 'jaggaer', '--url', j.baseUrl, '--client-id', j.clientId, '--identity', j.identity], `${j.clientSecret}\n${j.sharedSecret}\n`);
    expect(jag.code, jag.stderr).toBe(0);
    const jira = read<{ baseUrl: string; email: string; apiToken: string }>(files().jira);
    expect((await ferry(['connect', 'jira', '--url', jira.baseUrl, '--email', jira.email], `${jira.apiToken}\n`)).code).toBe(0);

    const list = lastJsonLine((await ferry(['connections', 'list', '--json'])).stdout) as { connections: { system: string; configured: boolean; secrets: string }[] };
    expect(list.connections.map((c) => [c.system, c.configured, c.secrets])).toEqual([['cloudsuite', true, 'set'], ['jaggaer', true, 'set'], ['jira', true, 'set']]);

    const test = await ferry(['connections', 'test', '--json']);
    expect(test.code, test.stderr).toBe(0);
    const results = (lastJsonLine(test.stdout) as { connections: ConnectionDiagnosis[] }).connections;
    for (const r of results) {
      expect(r.ok, JSON.stringify(r.steps)).toBe(true);
      expect(r.steps.map((s) => s.step)).toEqual(['dns', 'connect', 'tls', 'sign-in', 'permission', 'product', ...(r.system === 'cloudsuite' ? ['contract'] : [])]);
      expect(r.steps.find((s) => s.step === 'sign-in')!.status).toBe('ok');
    }
    // CloudSuite's tenant confirms every IDO and property Ferry uses, the reasoned ones among them, and says
    // which journal Ferry posts to.
    const contract = results.find((r) => r.system === 'cloudsuite')!.steps.find((s) => s.step === 'contract')!;
    expect(contract.status).toBe('ok');
    expect(contract.detail).toMatch(/^All \d+ properties Ferry uses on 13 IDOs exist, with the PO user fields Uf_JiraKey, Uf_JiraNote, Uf_ProjNum \(confirmed here: SLVendaddrs, SLJournals, SLCharts, SLUnitcd1s/);
    expect(contract.detail).toMatch(/journal FERRY: your CloudSuite administrator creates it for Ferry alone/);

    // Nothing secret reaches the terminal or the files Ferry wrote.
    const secrets = [j.clientSecret, j.sharedSecret, jira.apiToken, read<{ cs: string; sask: string }>(files().ionapi).sask];
    for (const out of [test.stdout, test.stderr, jag.stdout, jag.stderr]) for (const s of secrets) expect(out).not.toContain(s);
    for (const file of filesBelow(dataDir)) for (const s of secrets) expect(fs.readFileSync(file).includes(Buffer.from(s)), file).toBe(false);
  });

  it('refuses secrets as missing input, and never takes them as arguments', async () => {
    const short = await ferry(['connect', 'jaggaer', '--url', 'https://x.example', '--client-id', 'c', '--identity', 'i'], 'only-one-line\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/Expected 2 lines on standard input: JAGGAER client secret, then PO import shared secret/);
    const both = await ferry(['connect', 'jira', '--url', 'https://x.example', '--email', 'a@b.c', '--pat'], 'x\n');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one way to sign in/);
    expect((await ferry(['connect', 'jira', '--url', 'not a url', '--pat'], 'x\n')).code).toBe(2);
  });

  it('names the failing step and what to do: a rotated secret, a closed port, an untrusted certificate', async () => {
    const j = read<{ baseUrl: string; clientId: string; identity: string; sharedSecret: string }>(files().jaggaer);
    await ferry(['connect', 'jaggaer', '--url', j.baseUrl, '--client-id', j.clientId, '--identity', j.identity], `rotated-secret\n${j.sharedSecret}\n`);
    let result = lastJsonLine((await ferry(['connections', 'test', '--system', 'jaggaer', '--json'])).stdout) as { connections: ConnectionDiagnosis[] };
    let steps = result.connections[0]!.steps;
    expect(steps.map((s) => s.status)).toEqual(['ok', 'ok', 'skipped', 'failed', 'skipped', 'skipped']);
    expect(steps[3]!.detail).toMatch(/JAGGAER refused Ferry's sign-in \(unauthorized_client\)/);
    expect(steps[3]!.fix).toMatch(/Check the credentials in Connections/);

    await ferry(['connect', 'jaggaer', '--url', 'http://127.0.0.1:9', '--client-id', 'x', '--identity', 'y'], 'a\nb\n');
    result = lastJsonLine((await ferry(['connections', 'test', '--system', 'jaggaer', '--json'])).stdout) as { connections: ConnectionDiagnosis[] };
    steps = result.connections[0]!.steps;
    expect(steps[1]).toMatchObject({ step: 'connect', status: 'failed' });
    expect(steps[1]!.detail).toMatch(/Nothing answers at 127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    expect(steps[1]!.fix).toMatch(/firewall or proxy/);

    const cert = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', algorithm: 'sha256' });
    const tls = https.createServer({ key: cert.private, cert: cert.cert }, (_q, r) => r.end('{}'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', () => r()));
    try {
      await ferry(['connect', 'jaggaer', '--url', `https://127.0.0.1:${(tls.address() as net.AddressInfo).port}`, '--client-id', 'x', '--identity', 'y'], 'a\nb\n');
      const out = await ferry(['connections', 'test', '--system', 'jaggaer']);
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(/\[FAIL\] tls +Ferry does not trust the certificate presented for 127\.0\.0\.1/);
      expect(out.stdout).toMatch(/what to do: Add your company’s CA certificate \(PEM\) in Settings → Network/);
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });

  it('names a user field or property this CloudSuite lacks, and takes the journal and field names as settings', async () => {
    const badJournal = await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi, '--config', 'CSI_TST', '--journal', 'Ferry;drop']);
    expect(badJournal.code).toBe(2);
    expect(badJournal.stderr).toMatch(/the journal must be a journal id such as FERRY/);
    const badField = await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi, '--config', 'CSI_TST', '--po-field', 'jiraKey=JiraKey']);
    expect(badField.code).toBe(2);
    expect(badField.stderr).toMatch(/with a user field name \(Uf_…\)/);

    const set = await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi, '--config', 'CSI_TST', '--po-field', 'jiraKey=Uf_JiraTicket', '--journal', 'FERRY GL']);
    expect(set.code, set.stderr).toBe(0);
    const out = await ferry(['connections', 'test', '--system', 'cloudsuite', '--json']);
    expect(out.code).toBe(1);
    const steps = (lastJsonLine(out.stdout) as { connections: ConnectionDiagnosis[] }).connections[0]!.steps;
    expect(steps.map((s) => s.status)).toEqual(['ok', 'ok', 'skipped', 'ok', 'ok', 'ok', 'failed']);
    expect(steps[6]!.detail).toBe('This CloudSuite does not have everything Ferry uses: SLPos has no Uf_JiraTicket.');
    expect(steps[6]!.fix).toMatch(/--po-field jiraKey=Uf_/);

    // Back to the sandbox's own field name; the journal setting stays and is named.
    expect((await ferry(['connect', 'cloudsuite', '--ionapi', files().ionapi, '--config', 'CSI_TST', '--po-field', 'jiraKey=Uf_JiraKey'])).code).toBe(0);
    const fixed = (lastJsonLine((await ferry(['connections', 'test', '--system', 'cloudsuite', '--json'])).stdout) as { connections: ConnectionDiagnosis[] }).connections[0]!;
    expect(fixed.ok).toBe(true);
    expect(fixed.steps[6]!.detail).toMatch(/journal FERRY GL:/);
  });

  it('removes a connection and revokes the ION refresh token Ferry kept', async () => {
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { issueRefreshTokens: true });
    // A connection test signs in; ION now issues a refresh token, which Ferry keeps sealed for the next run.
    expect((await ferry(['connections', 'test', '--system', 'cloudsuite'])).code).toBe(0);
    const removed = await ferry(['connections', 'remove', 'cloudsuite']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/cloudsuite connection removed\. The ION refresh token Ferry kept was revoked/);
    expect(sandbox.stats.count({ system: 'ion', route: 'revoke_token' , status: 200 })).toBe(1);
    const list = lastJsonLine((await ferry(['connections', 'list', '--json'])).stdout) as { connections: { system: string; configured: boolean }[] };
    expect(list.connections.find((c) => c.system === 'cloudsuite')!.configured).toBe(false);
    expect((await ferry(['connections', 'remove', 'cloudsuite'])).code).toBe(1);
    expect((await ferry(['connections', 'remove', 'sap'])).code).toBe(2);
  });
});

describe('ferry network', () => {
  it('stores a proxy, a NO_PROXY list and a CA file, and the connection test goes through that proxy', async () => {
    const ca = path.join(tmp.dir, 'ca.pem');
    fs.writeFileSync(ca, (await generate([{ name: 'commonName', value: 'Corp CA' }], { keyType: 'ec', algorithm: 'sha256' })).cert);
    const set = await ferry(['network', 'set', '--proxy', 'http://127.0.0.1:3128', '--bypass', 'intranet.example', '--ca-file', ca, '--request-timeout', '30']);
    expect(set.code, set.stderr).toBe(0);
    expect(lastJsonLine((await ferry(['network', 'show', '--json'])).stdout)).toMatchObject({
      proxyUrl: 'http://127.0.0.1:3128',
      noProxy: 'intranet.example',
      caFile: ca,
      requestTimeoutSeconds: 30,
    });
    const test = lastJsonLine((await ferry(['connections', 'test', '--system', 'jira', '--json'])).stdout) as { connections: ConnectionDiagnosis[] };
    const steps = test.connections[0]!.steps;
    expect(steps[0]!.detail).toMatch(/the proxy 127\.0\.0\.1:3128, which reaches/);
    expect(steps[1]).toMatchObject({ step: 'connect', status: 'failed' });
    expect(steps[1]!.detail).toMatch(/127\.0\.0\.1:3128/);

    expect((await ferry(['network', 'set', '--proxy', 'env'])).code).toBe(0);
    expect(lastJsonLine((await ferry(['network', 'show', '--json'])).stdout)).toMatchObject({ proxyUrl: null });
  });

  it('refuses settings it could not use, with a sentence, and keeps the old ones', async () => {
    const notPem = path.join(tmp.dir, 'not.pem');
    fs.writeFileSync(notPem, 'nope');
    const bad = await ferry(['network', 'set', '--ca-file', notPem]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/holds no PEM certificate/);
    const badProxy = await ferry(['network', 'set', '--proxy', 'proxy corp']);
    expect(badProxy.code).toBe(2);
    expect(badProxy.stderr).toMatch(/use an address like http:\/\/proxy\.example\.com:3128/);
    expect((lastJsonLine((await ferry(['network', 'show', '--json'])).stdout) as { caFile: string }).caFile).toMatch(/ca\.pem$/);
  });
});
