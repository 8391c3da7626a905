import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runCli, startCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// `ferry` as a person or a script runs it: a real process, real files, exit codes and the JSON line.

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.remove());

const backendFile = {
  ti: 'ACME_PRD',
  cn: 'Ferry backend',
  dt: '12',
  ci: 'ACME_PRD~client-id-0001',
  cs: 'client-secret-value-that-must-not-print',
  iu: 'https://mingle-ionapi.eu1.inforcloudsuite.com',
  pu: 'https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_PRD/as/',
  oa: 'authorization.oauth2',
  ot: 'token.oauth2',
  or: 'revoke_token.oauth2',
  ev: 'U147858101',
  v: '1.0',
  saak: 'ACME_PRD#service-account-access-key',
  sask: 'service-account-secret-key-that-must-not-print',
};

function writeFile(name: string, content: string): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('ferry demo --once --json', () => {
  it('moves POs on the first run and nothing on the second, on the same data folder', async () => {
    const dataDir = path.join(tmp.dir, 'demo');
    const first = await runCli(['demo', '--once', '--json', '--data-dir', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    const a = lastJsonLine(first.stdout) as { dataDir: string; flows: Record<string, Record<string, number>> };
    expect(a.dataDir).toBe(dataDir);
    expect(a.flows['po-to-jaggaer']!.created).toBeGreaterThan(0);
    expect(a.flows['po-to-jaggaer']!.failed).toBe(0);

    const second = await runCli(['demo', '--once', '--json', '--data-dir', dataDir]);
    expect(second.code, second.stderr).toBe(0);
    const b = lastJsonLine(second.stdout) as { flows: Record<string, Record<string, number>> };
    expect(b.flows['po-to-jaggaer']).toMatchObject({ created: 0, updated: 0, failed: 0 });

    // The sandbox keeps its world and credentials under <data-dir>/sandbox; Ferry's own data is elsewhere.
    const sandboxFiles = fs.readdirSync(path.join(dataDir, 'sandbox')).sort();
    expect(sandboxFiles).toEqual(expect.arrayContaining(['FERRY_TST.ionapi', 'FERRY_TST-jaggaer.json', 'FERRY_PRD.ionapi', 'state.json', 'control.json']));
    expect(fs.readdirSync(dataDir).sort()).toEqual(['logs', 'profiles', 'sandbox']);
    const ionapi = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox', 'FERRY_TST.ionapi'), 'utf8')) as { cs: string; sask: string };
    for (const out of [first.stdout, first.stderr, second.stdout, second.stderr, fs.readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8')]) {
      expect(out).not.toContain(ionapi.cs);
      expect(out).not.toContain(ionapi.sask);
    }

    const audit = await runCli(['audit', '--json', '--limit', '5', '--data-dir', dataDir]);
    expect(audit.code).toBe(0);
    const events = (lastJsonLine(audit.stdout) as { events: { flow: string }[] }).events;
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.flow === 'po-to-jaggaer')).toBe(true);
  });
});

describe('ferry ionapi inspect', () => {
  it('prints tenant, app, token URL, API base, grant type and which secrets are present, never their values', async () => {
    const file = writeFile('good.ionapi', JSON.stringify(backendFile));
    const human = await runCli(['ionapi', 'inspect', file]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('ACME_PRD');
    expect(human.stdout).toContain('https://mingle-sso.eu1.inforcloudsuite.com:443/ACME_PRD/as/token.oauth2');
    expect(human.stdout).toContain('https://mingle-ionapi.eu1.inforcloudsuite.com/ACME_PRD');
    expect(human.stdout).toMatch(/client secret present/);

    const asJson = await runCli(['ionapi', 'inspect', file, '--json']);
    expect(asJson.code).toBe(0);
    expect(lastJsonLine(asJson.stdout)).toMatchObject({
      tenant: 'ACME_PRD',
      appName: 'Ferry backend',
      grantType: 'password',
      apiBase: 'https://mingle-ionapi.eu1.inforcloudsuite.com/ACME_PRD',
      secretsPresent: { clientSecret: true, serviceAccountAccessKey: true, serviceAccountSecretKey: true },
    });
    for (const out of [human.stdout, asJson.stdout]) {
      expect(out).not.toContain(backendFile.cs);
      expect(out).not.toContain(backendFile.sask);
      expect(out).not.toContain(backendFile.saak);
    }
  });

  it.each([
    ['not JSON', 'this is not json', /not JSON/],
    ['a web-app file', JSON.stringify({ ti: 'ACME_PRD', cn: 'Portal', ci: 'ACME_PRD~x', cs: 'y', iu: 'https://a.example', pu: 'https://b.example/ACME_PRD/as/', oa: 'authorization.oauth2', ot: 'token.oauth2', ru: 'https://portal.example/cb' }), /web application.*Backend Service/],
    ['missing keys', JSON.stringify({ ...backendFile, iu: undefined }), /missing "iu"/],
    ['wrong types', JSON.stringify({ ...backendFile, cs: 42 }), /wrong value for "cs"/],
  ])('refuses %s with one sentence and exit code 2', async (_name, content, sentence) => {
    const file = writeFile(`bad-${Math.random().toString(36).slice(2)}.ionapi`, content);
    const res = await runCli(['ionapi', 'inspect', file]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(sentence);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a missing file and a huge file with exit code 2', async () => {
    const missing = await runCli(['ionapi', 'inspect', path.join(tmp.dir, 'nope.ionapi')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot find the file/);
    const huge = await runCli(['ionapi', 'inspect', writeFile('huge.ionapi', 'x'.repeat(300_000))]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/far too large/);
  });
});

describe('ferry usage errors', () => {
  it('exits 2 for bad options and an unknown flow, and 1 with a sentence when a flow cannot run', async () => {
    const dataDir = path.join(tmp.dir, 'empty');
    const limit = await runCli(['audit', '--limit', '0', '--data-dir', dataDir]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/whole number from 1 to 5000/);

    const flow = await runCli(['sync', '--once', '--flow', 'po-to-nowhere', '--data-dir', dataDir]);
    expect(flow.code).toBe(2);
    expect(flow.stderr).toMatch(/no flow "po-to-nowhere"/);

    const notConnected = await runCli(['sync', '--once', '--json', '--data-dir', dataDir]);
    expect(notConnected.code).toBe(1);
    expect(notConnected.stderr).toMatch(/CloudSuite is not set up/);
    const summary = lastJsonLine(notConnected.stdout) as { flows: Record<string, { outcome: string }> };
    expect(summary.flows['po-to-jaggaer']!.outcome).toBe('failed');

    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });
});

describe('ferry sandbox --json', () => {
  it('serves on 127.0.0.1 and writes a usable .ionapi file and JAGGAER credentials', async () => {
    const dataDir = path.join(tmp.dir, 'sb');
    const running = await startCli(['sandbox', '--json', '--data-dir', dataDir]);
    try {
      const info = running.json as { endpoints: Record<string, string>; files: Record<string, string> };
      for (const url of Object.values(info.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ionapiFile = info.files.ionapi!;
      expect(ionapiFile).toBe(path.join(dataDir, 'sandbox', 'FERRY_TST.ionapi'));
      const inspect = await runCli(['ionapi', 'inspect', ionapiFile, '--json']);
      expect(lastJsonLine(inspect.stdout)).toMatchObject({ tenant: 'FERRY_TST', grantType: 'password' });
      expect((lastJsonLine(inspect.stdout) as { tokenUrl: string }).tokenUrl.startsWith(info.endpoints.sso!)).toBe(true);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });
});

describe('ferry sandbox flags', () => {
  it('refuses a bad scale, a missing faults file and an invalid fault profile with exit code 2 and a sentence', async () => {
    const dataDir = path.join(tmp.dir, 'sbflags');
    const scale = await runCli(['sandbox', '--scale', 'huge', '--data-dir', dataDir]);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/small, medium, large/);
    const missing = await runCli(['sandbox', '--faults', path.join(tmp.dir, 'none.json'), '--data-dir', dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot use the faults file .* does not exist/);
    const invalid = await runCli(['sandbox', '--faults', writeFile('faults-bad.json', JSON.stringify({ rules: [{ system: 'sap' }] })), '--data-dir', dataDir]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/not valid at "rules\.0\.system"/);
    for (const origin of ['yesterday', '2027-02-30', '2027-02-28T23:30:00']) {
      const bad = await runCli(['sandbox', '--origin', origin, '--data-dir', dataDir]);
      expect(bad.code, origin).toBe(2);
      expect(bad.stderr).toMatch(/use an ISO 8601 date or date and time with its zone, e\.g\. 2027-02-28/);
    }
    expect(fs.existsSync(path.join(dataDir, 'sandbox', 'state.json'))).toBe(false);
  });

  it('starts a world at the origin given, its clock running from there, and refuses another origin for that world', async () => {
    const dataDir = path.join(tmp.dir, 'sborigin');
    const running = await startCli(['sandbox', '--json', '--origin', '2028-02-29T12:00:00Z', '--data-dir', dataDir]);
    try {
      const info = running.json as { origin: string; now: string; control: { url: string; token: string } };
      expect(info.origin).toBe('2028-02-29T12:00:00.000Z');
      expect(Date.parse(info.now) - Date.parse(info.origin)).toBeLessThan(60_000);
      // The simulated systems run on the world's clock: what the control endpoint shows, and what tokens expire by.
      const clock = await fetch(`${info.control.url}/control/clock`, { headers: { Authorization: `Bearer ${info.control.token}` } });
      const { now } = (await clock.json()) as { now: string };
      expect(Date.parse(now) - Date.parse(info.origin)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(now) - Date.parse(info.origin)).toBeLessThan(60_000);
    } finally {
      expect(await running.stop()).toBe(0);
    }
    const other = await runCli(['sandbox', '--origin', '2027-02-28', '--data-dir', dataDir]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds a world that starts at 2028-02-29T12:00:00\.000Z/);
  });

  it('starts with a fault profile from a file and reports seed, scale, tenants and the control endpoint', async () => {
    const dataDir = path.join(tmp.dir, 'sbfaults');
    const profile = writeFile('faults.json', JSON.stringify({ seed: 1, rules: [{ system: 'ido', errorRate: { '503': 1 } }] }));
    const running = await startCli(['sandbox', '--json', '--seed', '77', '--faults', profile, '--data-dir', dataDir]);
    try {
      const info = running.json as { seed: number; scale: string; tenants: Record<string, { files: Record<string, string> }>; control: { url: string; token: string } };
      expect(info).toMatchObject({ seed: 77, scale: 'small' });
      expect(Object.keys(info.tenants)).toEqual(['FERRY_TST', 'FERRY_PRD']);
      expect(Object.keys(info.tenants.FERRY_TST!.files).sort()).toEqual(['ionapi', 'ionapiClientCredentials', 'jaggaer', 'jira']);
      const faults = await fetch(`${info.control.url}/control/faults`, { headers: { Authorization: `Bearer ${info.control.token}` } });
      expect(((await faults.json()) as { rules: { errorRate: Record<string, number> }[] }).rules[0]!.errorRate).toEqual({ '503': 1 });
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });
});
