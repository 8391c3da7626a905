import dns from 'node:dns';
import net from 'node:net';
import type { ConnectionDiagnosis, ConnectionSystem, DiagnosisStep } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import { Http } from '../http/client';
import { ConnectorError } from '../http/errors';
import { proxyFor } from '../http/network';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { HttpPool } from '../http/pool';
import { connectionConfig } from '../store/connections';
import type { Profile } from '../store/profile';
import { checkIndustrialContract } from './cloudsuite/contract-check';
import { checkM3Contract, checkSupplierTemplate, describeM3Setup, type M3SetupSettings } from './cloudsuite/m3-contract-check';
import { DEFAULT_JOURNAL } from './cloudsuite/industrial';
import { DEFAULT_PO_FIELDS, DEFAULT_PROJECT_FIELD } from './cloudsuite/industrial-orders';
import { connectCloudSuite, connectJaggaer, connectJira, type CloudSuiteConfig } from './connect';

// "Test connection": for each stored connection, the path from this workstation to the system, one step at
// a time — name lookup, connection, TLS, sign-in, a cheap authorized read, and a product check — stopping
// at the first failure with the sentence that says what to do.

type StepName = DiagnosisStep['step'];

// Steps a system does not have are left out (JAGGAER and Jira have no 'contract' step).

class Steps {
  readonly list: DiagnosisStep[] = [];
  private failed = false;

  async run(step: StepName, fn: () => Promise<string | { skipped: string }>, fixFor: (err: unknown) => string | null = defaultFix): Promise<void> {
    if (this.failed) {
      this.list.push({ step, status: 'skipped', detail: 'Not checked: an earlier step failed.', fix: null, ms: 0 });
      return;
    }
    const started = Date.now();
    try {
      const out = await fn();
      const ms = Date.now() - started;
      if (typeof out === 'string') this.list.push({ step, status: 'ok', detail: out, fix: null, ms });
      else this.list.push({ step, status: 'skipped', detail: out.skipped, fix: null, ms });
    } catch (err) {
      this.failed = true;
      const detail = err instanceof FerryError ? err.message : err instanceof Error ? err.message : String(err);
      this.list.push({ step, status: 'failed', detail, fix: fixFor(err), ms: Date.now() - started });
    }
  }

  get ok(): boolean {
    return !this.failed;
  }
}

function defaultFix(err: unknown): string | null {
  if (!(err instanceof ConnectorError)) return null;
  switch (err.code) {
    case 'auth_refused':
    case 'auth_expired':
      return 'Check the credentials in Connections; if they were changed or rotated, enter the new ones.';
    case 'forbidden':
    case 'jira_forbidden':
      return 'Ask the administrator of that system to give Ferry’s account the permission named above.';
    case 'tls_untrusted':
      return 'Add your company’s CA certificate (PEM) in Settings → Network, or ask IT about the interception.';
    case 'unreachable':
    case 'timeout':
      return 'Check the address, the proxy in Settings → Network, and that this computer may reach the site.';
    default:
      return null;
  }
}

/** DNS, TCP and TLS towards a URL (or its proxy), with the problem named. */
async function networkSteps(steps: Steps, url: string, profile: Profile): Promise<void> {
  const settings = toNetwork(loadNetworkSettings(profile.db));
  const proxy = proxyFor(url, settings.network);
  const target = new URL(url);
  const via = proxy ? new URL(proxy) : target;
  const host = via.hostname;
  const port = Number(via.port) || (via.protocol === 'https:' ? 443 : 80);
  const through = proxy ? ` (the proxy ${via.host}, which reaches ${target.host})` : '';

  await steps.run(
    'dns',
    async () => {
      const found = await dns.promises.lookup(host);
      return `${host}${through} is ${found.address}.`;
    },
    () => `This computer cannot look up ${host}: check the spelling of the address, or ask IT whether it may resolve outside names.`,
  );
  await steps.run(
    'connect',
    () =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host, port });
        const timer = setTimeout(() => socket.destroy(new Error(`no answer from ${host}:${port} within 10 s`)), 10_000);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.destroy();
          resolve(`${host}:${port}${through} accepts connections.`);
        });
        socket.once('error', (e) => {
          clearTimeout(timer);
          reject(new Error(`Nothing answers at ${host}:${port} (${(e as NodeJS.ErrnoException).code ?? e.message}).`));
        });
      }),
    () => `A firewall or proxy may be blocking ${host}:${port}; ask IT to allow it, or set the proxy in Settings → Network.`,
  );
  await steps.run('tls', async () => {
    if (target.protocol !== 'https:') return { skipped: `${target.host} is plain HTTP: no certificate to check.` };
    const http = new Http({ system: target.host, ...settings, retry: { maxAttempts: 1 } });
    await http.send({ method: 'GET', url: target.origin + '/', acceptStatus: () => true, what: 'a TLS handshake' });
    return `The certificate of ${target.host} is trusted.`;
  });
}

export async function diagnoseConnections(profile: Profile, only?: ConnectionSystem): Promise<ConnectionDiagnosis[]> {
  const out: ConnectionDiagnosis[] = [];
  for (const system of (['cloudsuite', 'jaggaer', 'jira'] as const).filter((s) => !only || s === only)) {
    const stored = connectionConfig(profile.db, system);
    if (!stored) {
      out.push({ system, configured: false, ok: false, target: null, steps: [] });
      continue;
    }
    const pool = new HttpPool({ ...toNetwork(loadNetworkSettings(profile.db)), retry: { maxAttempts: 2, maxTotalMs: 20_000 } });
    const steps = new Steps();
    let target: string;
    if (system === 'cloudsuite') {
      const link = connectCloudSuite(profile, pool);
      const config = stored.config as CloudSuiteConfig;
      target = `${config.ionapi.gatewayUrl}/${config.ionapi.tenant}`;
      await networkSteps(steps, config.ionapi.gatewayUrl, profile);
      await steps.run('sign-in', async () => {
        await link.tokens.get();
        return `Signed in to ION for tenant ${config.ionapi.tenant}.`;
      });
      await steps.run('permission', async () => {
        if (link.ido) {
          await link.ido.loadPage('SLVendors', { properties: ['VendNum'], recordCap: 1 });
          return 'Read a vendor (SLVendors): the service account may read CloudSuite data.';
        }
        await link.m3!.read('CRS620MI', 'LstByNumber', { SUNO: '!' }, { maxrecs: 1, what: 'reading a supplier' });
        return 'Read a supplier (CRS620MI): the service account may run MI programs.';
      });
      await steps.run('product', async () => {
        if (link.ido) {
          const configs = await link.ido.configurations();
          if (!config.mongooseConfig || !configs.includes(config.mongooseConfig)) {
            throw new FerryError('no_mongoose_config', `The configuration "${config.mongooseConfig ?? '(none chosen)'}" is not on this server; it has: ${configs.join(', ') || 'none listed'}.`);
          }
          return `CloudSuite Industrial configuration ${config.mongooseConfig} exists (of ${configs.length}).`;
        }
        await link.m3!.read('PPSSPPMI', 'LstSupHead', {}, { maxrecs: 1, what: 'listing purchase orders' });
        return `CloudSuite M3 company ${config.m3?.company ?? 100}${config.m3?.division ? ` division ${config.m3.division}` : ''}: PPSSPPMI lists purchase orders.`;
      }, (err) => (err instanceof FerryError && err.code === 'no_mongoose_config' ? 'Choose one of the listed configurations in Connections.' : defaultFix(err)));
      await steps.run('contract', async () => {
        if (link.m3) {
          const checked = await checkM3Contract(link.m3);
          const m3: M3SetupSettings = config.m3 ?? {};
          if (m3.supplierTemplate) await checkSupplierTemplate(link.m3, m3.supplierTemplate);
          return [`All ${checked.transactions} MI transactions Ferry uses exist in ${checked.programs} programs (MRS001MI).`, ...describeM3Setup(m3)].join(' ');
        }
        if (!link.ido) return { skipped: 'No CloudSuite client to check.' };
        const fields = config.poFields ?? {};
        const userFields = [fields.jiraKey ?? DEFAULT_PO_FIELDS.jiraKey, fields.jiraNote ?? DEFAULT_PO_FIELDS.jiraNote, fields.project ?? DEFAULT_PROJECT_FIELD];
        const checked = await checkIndustrialContract(link.ido, { SLPos: userFields });
        const journal = config.journal ?? DEFAULT_JOURNAL;
        return (
          `All ${checked.properties} properties Ferry uses on ${checked.idos} IDOs exist, with the PO user fields ${userFields.join(', ')}` +
          `${checked.confirmedInferred.length ? ` (confirmed here: ${checked.confirmedInferred.join(', ')}, whose names no public source lists)` : ''}. ` +
          `Ferry enters and posts its GL journals in journal ${journal}: your CloudSuite administrator creates it for Ferry alone, because posting it posts everything in it.`
        );
      }, (err) =>
        err instanceof FerryError && err.code === 'contract_mismatch'
          ? link.m3
            ? 'Ask your M3 administrator to give Ferry’s service account the MI programs and transactions named above (or check the M3 release); syncing would fail on them.'
            : 'Where a PO user field is named differently on your CloudSuite, set its name with "ferry connect cloudsuite --po-field jiraKey=Uf_…" (or jiraNote=, project=). Anything else: send this sentence to your Ferry contact; syncing would fail on it.'
          : err instanceof FerryError && err.code === 'not_set_up'
            ? 'Choose an existing supplier as the template with "ferry connect cloudsuite --m3-supplier-template SUPPLIER".'
            : defaultFix(err));
    } else if (system === 'jaggaer') {
      const link = connectJaggaer(profile, pool);
      const config = stored.config as { baseUrl: string };
      target = config.baseUrl;
      await networkSteps(steps, config.baseUrl, profile);
      await steps.run('sign-in', async () => {
        await link.tokens.get();
        return 'Signed in to JAGGAER with the client credentials.';
      });
      await steps.run('permission', async () => {
        const page = await link.client.companies.page(null, 1);
        return `Listed suppliers: ${page.totRecords} company profiles visible.`;
      });
      await steps.run('product', async () => ({
        skipped: 'JAGGAER offers no harmless way to check the PO import credentials (Identity / Shared Secret); the first PO sent checks them, and a refusal names them.',
      }));
    } else {
      const link = connectJira(profile, pool);
      target = link.config.baseUrl;
      await networkSteps(steps, link.config.baseUrl, profile);
      await steps.run('sign-in', async () => {
        const me = await link.client.myself();
        return `Signed in to Jira as ${me.displayName || me.accountId} (${link.client.authKind}).`;
      });
      await steps.run('permission', async () => {
        const projects = await link.client.visibleProjects();
        if (projects.keys.length === 0) throw new FerryError('forbidden', 'This Jira account sees no projects, so Ferry could not create issues.');
        return `Sees ${projects.keys.length}${projects.more ? '+' : ''} projects (${projects.keys.slice(0, 5).join(', ')}${projects.keys.length > 5 ? ', …' : ''}).`;
      }, () => 'Ask your Jira administrator to give Ferry’s account "Browse projects" and "Create issues" in the projects it should use.');
      await steps.run('product', async () => ({ skipped: 'The Jira project and issue type are checked when the mapping is set (Mappings → Jira projects).' }));
    }
    out.push({ system, configured: true, ok: steps.ok, target, steps: steps.list });
  }
  return out;
}
