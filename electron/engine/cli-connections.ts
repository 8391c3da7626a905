import { type Command, InvalidArgumentError } from 'commander';
import { read } from 'read';
import type { z } from 'zod';
import { ConnectionSystem, type ConnectionDiagnosis } from '../../shared/api';
import { ExitError, json, out, readInputFile, withEngine, type Globals } from './cli-support';
import { MAX_IONAPI_BYTES, parseIonapi } from './connectors/cloudsuite/ionapi';
import { listConfigurations } from './connectors/configurations';
import { previewParm, glParmTemplate } from './connectors/cloudsuite/m3-gl-parm';
import { accountCode, glInterface, invoiceLineType, parsePoAccountRule, parseSupplierAddress, supplierNumber, type PoAccounts, type SupplierAddress } from './connectors/cloudsuite/m3-settings';
import { journalId, m3Settings, saveCloudSuiteConnection, saveJaggaerConnection, saveJiraConnection, type CloudSuiteConnectionOptions } from './connectors/connect';
import { diagnoseConnections } from './connectors/diagnose';
import { DEFAULT_PO_IMPORT_PATH } from './connectors/jaggaer/po-import';
import type { JiraConfig, JiraSecrets } from './connectors/jira/index';
import { removeConnectionRevoking } from './connectors/remove';
import { connectionLabel } from './engine';
import { loadNetworkSettings, NetworkSettingsSchema, saveNetworkSettings, type StoredNetworkSettings } from './http/network-settings';
import { connectionConfig, systemNames } from './store/connections';

// `ferry connect …`, `ferry connections …` and `ferry network …`. Secrets never come as arguments (they
// would sit in the shell history and the process list): they are prompted for, hidden, or read from stdin.

/** Secrets, one per line from stdin when it is not a terminal, else prompted for without echo. */
async function readSecrets(labels: string[]): Promise<string[]> {
  if (process.stdin.isTTY) {
    const values: string[] = [];
    for (const label of labels) values.push((await read({ prompt: `${label}: `, silent: true, replace: '*', output: process.stderr })).trim());
    if (values.some((v) => v === '')) throw new ExitError(2, `Nothing was entered for ${labels[values.findIndex((v) => v === '')]}.`);
    return values;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((l) => l.trim());
  const values = lines.slice(0, labels.length);
  if (values.length < labels.length || values.some((v) => v === '')) {
    throw new ExitError(2, `Expected ${labels.length === 1 ? 'one line' : `${labels.length} lines`} on standard input: ${labels.join(', then ')}.`);
  }
  return values;
}

const url = (v: string) => {
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    return u.origin + u.pathname.replace(/\/+$/, '');
  } catch {
    throw new InvalidArgumentError('use a web address such as https://acme.atlassian.net.');
  }
};

function printDiagnosis(d: ConnectionDiagnosis): void {
  const name = { cloudsuite: 'CloudSuite', jaggaer: 'JAGGAER', jira: 'Jira' }[d.system];
  if (!d.configured) {
    out(`${name}: not set up`);
    return;
  }
  out(`${name}: ${d.ok ? 'working' : 'NEEDS ATTENTION'}  (${d.target})`);
  for (const s of d.steps) {
    const mark = s.status === 'ok' ? 'ok  ' : s.status === 'failed' ? 'FAIL' : 'skip';
    out(`  [${mark}] ${s.step.padEnd(10)} ${s.detail}${s.status === 'ok' ? ` (${s.ms} ms)` : ''}`);
    if (s.fix) out(`         what to do: ${s.fix}`);
  }
}

// ── M3: what the M3 administrator states because Infor does not publish it (connectors/cloudsuite/m3-settings.ts)

interface M3CliOptions {
  division?: string;
  m3GlParm?: string;
  m3GlInterface?: string;
  m3SupplierTemplate?: string;
  m3SupplierAddress?: SupplierAddress;
  m3PoAccount?: PoAccounts;
  m3PoLineType?: number;
  m3PayablesAccount?: string[];
}

/** A value checked by a zod schema, its problem a sentence commander prints (exit code 2). */
function checked<T>(schema: z.ZodType<T>, what: string): (v: string) => T {
  return (v) => {
    const parsed = schema.safeParse(v);
    if (!parsed.success) throw new InvalidArgumentError(`${what} ${parsed.error.issues[0]!.message}.`);
    return parsed.data;
  };
}

const parseGlParm = checked(glParmTemplate, 'the template');

function addM3Options(command: Command): void {
  command
    .option('--division <code>', 'M3: the division (DIVI) for AP and GL transactions', checked(m3Settings.shape.division.unwrap(), 'the division'))
    .option('--m3-gl-parm <template>', 'M3: the GLS840MI PARM layout as a template, e.g. "{date:8}{account:10}…" (docs/m3-gl-parm.md); no GL is posted without it', parseGlParm)
    .option('--m3-gl-interface <name>', 'M3: the GLS840MI interface (INTN) set up for Ferry (default FERRY)', checked(glInterface, 'the interface'))
    .option('--m3-supplier-template <supplier>', 'M3: the supplier CRS620MI CopyTemplate copies for a new supplier; no supplier is created without it', checked(supplierNumber, 'the template supplier'))
    .option('--m3-supplier-address <type/number>', 'M3: the supplier address Ferry reads and writes, address type and number, e.g. 1/MAIN', (v: string) => {
      const parsed = parseSupplierAddress(v);
      if (typeof parsed === 'string') throw new InvalidArgumentError(`${parsed}.`);
      return parsed;
    })
    .option(
      '--m3-po-account <key=account[/costcenter]>',
      'M3: where PO lines are booked, by item:ITEM, type:ORDERTYPE or * (e.g. "*=610100/CC100"); repeat for each rule',
      (v: string, all: PoAccounts | undefined) => {
        const parsed = parsePoAccountRule(v);
        if (typeof parsed === 'string') throw new InvalidArgumentError(`${parsed}.`);
        return { ...all, [parsed.key]: parsed.coding };
      },
    )
    .option('--m3-po-line-type <n>', 'M3: the APS450MI line type (RDTP) your M3 uses for an invoice line matched to a PO line; no invoice is entered without it', (v: string) => {
      const parsed = invoiceLineType.safeParse(/^\d{1,2}$/.test(v) ? Number(v) : NaN);
      if (!parsed.success) throw new InvalidArgumentError('use the line type number, 1 to 99.');
      return parsed.data;
    })
    .option('--m3-payables-account <account>', 'M3: a payables account that marks a supplier invoice in the ledger; repeat for each; vouchers are not read back without it', (v: string, all: string[] | undefined) => [
      ...(all ?? []),
      checked(accountCode, 'the payables account')(v),
    ]);
}

/** The M3 settings given on the command line, by their stored names. */
function m3Options(o: M3CliOptions & { company?: number }): NonNullable<CloudSuiteConnectionOptions['m3']> {
  const out: NonNullable<CloudSuiteConnectionOptions['m3']> = {};
  if (o.company !== undefined) out.company = o.company;
  if (o.division !== undefined) out.division = o.division;
  if (o.m3GlParm !== undefined) out.glParm = o.m3GlParm;
  if (o.m3GlInterface !== undefined) out.glInterface = o.m3GlInterface;
  if (o.m3SupplierTemplate !== undefined) out.supplierTemplate = o.m3SupplierTemplate;
  if (o.m3SupplierAddress !== undefined) out.supplierAddress = o.m3SupplierAddress;
  if (o.m3PoAccount !== undefined) out.poAccounts = o.m3PoAccount;
  if (o.m3PoLineType !== undefined) out.poLineType = o.m3PoLineType;
  if (o.m3PayablesAccount !== undefined) out.payablesAccounts = o.m3PayablesAccount;
  return out;
}

export function registerConnectionCommands(program: Command, globals: () => Globals): void {
  const connect = program.command('connect').description('set up a connection in this profile (secrets are prompted for or read from stdin)');

  const cloudsuite = connect
    .command('cloudsuite')
    .description('connect CloudSuite from the .ionapi file your Infor admin gave you')
    .requiredOption('--ionapi <file>', 'the Backend Service .ionapi file')
    .option('--product <product>', 'industrial or m3', (v: string) => {
      if (v !== 'industrial' && v !== 'm3') throw new InvalidArgumentError('use industrial or m3.');
      return v;
    }, 'industrial')
    .option('--config <name>', 'Industrial: the Mongoose configuration, e.g. CSI_DALS (asked from the server when left out)')
    .option('--company <n>', 'M3: the company number (CONO)', (v: string) => {
      if (!/^\d{1,3}$/.test(v)) throw new InvalidArgumentError('use the M3 company number, e.g. 100.');
      return Number(v);
    })
    .option('--rate-limit <n|auto>', 'the tenant’s ION quota per minute (default 300), or auto to learn it', (v: string) => {
      if (v === 'auto') return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('use a whole number from 1 to 10000, or auto.');
      return n;
    })
    .option(
      '--po-field <name=Field>',
      'Industrial: a PO header user field for the Jira flows where yours is named differently (jiraKey=Uf_JiraKey, jiraNote=Uf_JiraNote, project=Uf_ProjNum); repeat for each',
      (v: string, all: Record<string, string>) => {
        const m = /^(jiraKey|jiraNote|project)=(Uf_[A-Za-z0-9_]{1,60})$/.exec(v);
        if (!m) throw new InvalidArgumentError('use jiraKey=FIELD, jiraNote=FIELD or project=FIELD with a user field name (Uf_…), e.g. jiraKey=Uf_JiraKey.');
        return { ...all, [m[1]!]: m[2]! };
      },
      {} as Record<string, string>,
    )
    .option('--journal <id>', 'Industrial: the journal Ferry enters and posts its GL journals in (default FERRY); create it for Ferry alone', (v: string) => {
      const parsed = journalId.safeParse(v);
      if (!parsed.success) throw new InvalidArgumentError(`the journal ${parsed.error.issues[0]!.message}.`);
      return parsed.data;
    });
  addM3Options(cloudsuite);
  cloudsuite
    .action(async (o: { ionapi: string; product: 'industrial' | 'm3'; config?: string; company?: number; rateLimit?: number | null; poField: Record<string, string>; journal?: string } & M3CliOptions) => {
      await withEngine(globals(), async (engine) => {
        const ionapi = parseIonapi(readInputFile(o.ionapi, MAX_IONAPI_BYTES));
        let mongooseConfig = o.config ?? null;
        if (o.product === 'industrial' && !mongooseConfig) {
          let configs: string[];
          try {
            configs = await listConfigurations(engine.profile, ionapi);
          } catch (err) {
            throw new ExitError(1, `Ferry could not ask CloudSuite for its configurations (${(err as Error).message}). Run again with --config NAME, or check the connection with "ferry connections test".`);
          }
          if (configs.length !== 1) {
            throw new ExitError(2, `Choose the CloudSuite configuration with --config; this server has: ${configs.join(', ') || 'none listed'}.`);
          }
          mongooseConfig = configs[0]!;
        }
        const m3 = m3Options(o);
        if (o.product !== 'm3' && Object.keys(m3).length > 0) throw new ExitError(2, 'The --m3-… and --company/--division options are for CloudSuite M3: add --product m3.');
        saveCloudSuiteConnection(engine.profile, ionapi, mongooseConfig, {
          product: o.product,
          ...(Object.keys(m3).length > 0 ? { m3 } : {}),
          ...(o.rateLimit !== undefined ? { rateLimitPerMinute: o.rateLimit } : {}),
          ...(Object.keys(o.poField).length > 0 ? { poFields: o.poField } : {}),
          ...(o.journal !== undefined ? { journal: o.journal } : {}),
        });
        out(`CloudSuite connected: ${connectionLabel('cloudsuite', connectionConfig(engine.profile.db, 'cloudsuite')!.config)}.`);
        if (o.m3GlParm) out(`GL lines go to M3 as PARM ${previewParm(o.m3GlParm)}.`);
        out('Check it with: ferry connections test');
      });
    });

  connect
    .command('jaggaer')
    .description('connect JAGGAER (stdin or prompt: the client secret, then the PO import shared secret)')
    .requiredOption('--url <url>', 'your JAGGAER API address, e.g. https://acme-eu.api.jaggaer.com', url)
    .requiredOption('--client-id <id>', 'the J1P integration client id')
    .requiredOption('--identity <name>', 'the PO XML import Identity')
    .option('--po-import-path <path>', 'the PO XML import path, when yours differs', DEFAULT_PO_IMPORT_PATH)
    .action(async (o: { url: string; clientId: string; identity: string; poImportPath: string }) => {
      const [clientSecret, sharedSecret] = await readSecrets(['JAGGAER client secret', 'PO import shared secret']);
      await withEngine(globals(), async (engine) => {
        saveJaggaerConnection(engine.profile, { baseUrl: o.url, clientId: o.clientId, poImportPath: o.poImportPath }, { clientSecret: clientSecret!, identity: o.identity, sharedSecret: sharedSecret! });
        out(`JAGGAER connected: ${o.url}. Check it with: ferry connections test`);
      });
    });

  connect
    .command('jira')
    .description('connect Jira: --email for Cloud (API token on stdin), --pat for Data Center, --oauth-client-id for an OAuth 2.0 app')
    .requiredOption('--url <url>', 'your Jira address, e.g. https://acme.atlassian.net', url)
    .option('--email <email>', 'Jira Cloud: the account’s email (the API token comes from stdin)')
    .option('--pat', 'Jira Data Center: a personal access token (from stdin)')
    .option('--oauth-client-id <id>', 'an OAuth 2.0 (3LO) app: its client id (stdin: client secret, then refresh token)')
    .action(async (o: { url: string; email?: string; pat?: boolean; oauthClientId?: string }) => {
      const kinds = [o.email !== undefined, o.pat === true, o.oauthClientId !== undefined].filter(Boolean).length;
      if (kinds !== 1) throw new ExitError(2, 'Choose exactly one way to sign in: --email (Jira Cloud API token), --pat (Data Center) or --oauth-client-id.');
      let config: JiraConfig;
      let secrets: JiraSecrets;
      if (o.email !== undefined) {
        const [apiToken] = await readSecrets(['Jira API token']);
        config = { auth: 'basic', baseUrl: o.url, email: o.email };
        secrets = { apiToken: apiToken! };
      } else if (o.pat) {
        const [token] = await readSecrets(['Jira personal access token']);
        config = { auth: 'pat', baseUrl: o.url };
        secrets = { personalAccessToken: token! };
      } else {
        const [clientSecret, refreshToken] = await readSecrets(['OAuth client secret', 'OAuth refresh token']);
        config = { auth: 'oauth', baseUrl: o.url, clientId: o.oauthClientId! };
        secrets = { clientSecret: clientSecret!, refreshToken: refreshToken! };
      }
      await withEngine(globals(), async (engine) => {
        saveJiraConnection(engine.profile, config, secrets);
        out(`Jira connected: ${connectionLabel('jira', connectionConfig(engine.profile.db, 'jira')!.config)}. Check it with: ferry connections test`);
      });
    });

  const connections = program.command('connections').description('list, test or remove this profile’s connections');
  connections
    .command('list')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const list = systemNames.map((system) => {
          const c = connectionConfig(engine.profile.db, system);
          return { system, configured: c !== null, label: c ? connectionLabel(system, c.config) : null, secrets: c?.hasSecrets ? 'set' : 'not set', updatedAt: c?.updatedAt ?? null };
        });
        if (o.json) json({ connections: list });
        else for (const c of list) out(`${c.system.padEnd(10)} ${c.configured ? `${c.label}  (secrets ${c.secrets}, saved ${c.updatedAt})` : 'not set up'}`);
      });
    });
  connections
    .command('test')
    .description('check each connection step by step: name lookup, connection, certificate, sign-in, permission, product')
    .option('--system <system>', 'only this one: cloudsuite, jaggaer or jira', (v: string) => {
      const r = ConnectionSystem.safeParse(v);
      if (!r.success) throw new InvalidArgumentError('use cloudsuite, jaggaer or jira.');
      return r.data;
    })
    .option('--json', 'print one JSON object')
    .action(async (o: { system?: ConnectionSystem; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const results = await diagnoseConnections(engine.profile, o.system);
        if (o.json) json({ connections: results });
        else results.forEach(printDiagnosis);
        const configured = results.filter((r) => r.configured);
        if (configured.length === 0) throw new ExitError(1, 'No connection is set up yet: use "ferry connect cloudsuite --ionapi FILE" (and jaggaer, jira).');
        if (configured.some((r) => !r.ok)) throw new ExitError(1, 'At least one connection needs attention (see above).');
      });
    });
  connections
    .command('m3-gl-parm')
    .description('show the GLS840MI PARM Ferry builds for a sample GL line, from the stored template or one given here')
    .option('--template <template>', 'a PARM template to try instead of the stored one (see docs/m3-gl-parm.md)', parseGlParm)
    .action(async (o: { template?: string }) => {
      await withEngine(globals(), async (engine) => {
        const stored = connectionConfig(engine.profile.db, 'cloudsuite')?.config as { m3?: { glParm?: string } } | undefined;
        const template = o.template ?? stored?.m3?.glParm;
        if (!template) throw new ExitError(1, 'No PARM template is set for CloudSuite M3: set one with "ferry connect cloudsuite --product m3 --m3-gl-parm TEMPLATE", or try one here with --template (see docs/m3-gl-parm.md).');
        out(`Template: ${template}`);
        out(`PARM:     ${previewParm(template)}`);
      });
    });
  connections
    .command('remove')
    .argument('<system>', 'cloudsuite, jaggaer or jira')
    .description('remove a connection, revoking what can be revoked')
    .action(async (system: string) => {
      const parsed = ConnectionSystem.safeParse(system);
      if (!parsed.success) throw new ExitError(2, `There is no "${system}" connection: use cloudsuite, jaggaer or jira.`);
      await withEngine(globals(), async (engine) => {
        const result = await removeConnectionRevoking(engine.profile, parsed.data);
        if (!result.removed) throw new ExitError(1, `${system} was not set up in this profile.`);
        out(`${system} connection removed. ${result.revoked}`);
      });
    });

  const network = program.command('network').description('how this computer reaches the outside: proxy, extra CA certificate, timeouts');
  network
    .command('show')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const s = loadNetworkSettings(engine.profile.db);
        if (o.json) json(s);
        else {
          out(`Proxy:            ${s.proxyUrl === null ? `from the environment (${process.env.HTTPS_PROXY ?? process.env.https_proxy ?? 'none set'})` : s.proxyUrl === '' ? 'none' : s.proxyUrl}`);
          out(`No proxy for:     ${s.noProxy ?? `from the environment (${process.env.NO_PROXY ?? process.env.no_proxy ?? 'none set'})`}`);
          out(`Extra CA file:    ${s.caFile ?? 'none'}`);
          out(`Timeouts:         connect ${s.connectTimeoutSeconds} s, whole request ${s.requestTimeoutSeconds} s`);
          out(`Tries a request:  ${s.maxAttempts} times before the record waits in the failures queue`);
        }
      });
    });
  network
    .command('set')
    .option('--proxy <url|env|none>', 'the HTTPS proxy, "env" for HTTPS_PROXY, or "none"')
    .option('--bypass <hosts|env>', 'comma-separated hosts that bypass the proxy (like NO_PROXY), or "env" for NO_PROXY')
    .option('--ca-file <file|none>', 'a PEM file with your company’s CA certificate(s), or "none"')
    .option('--connect-timeout <seconds>', 'connect timeout (1–300)')
    .option('--request-timeout <seconds>', 'whole-request timeout (5–600)')
    .option('--max-attempts <n>', 'tries per request before the record waits in the failures queue (1–10, default 6)')
    .action(async (o: { proxy?: string; bypass?: string; caFile?: string; connectTimeout?: string; requestTimeout?: string; maxAttempts?: string }) => {
      const change: Partial<StoredNetworkSettings> = {};
      if (o.proxy !== undefined) change.proxyUrl = o.proxy === 'env' ? null : o.proxy === 'none' ? '' : o.proxy;
      if (o.bypass !== undefined) change.noProxy = o.bypass === 'env' ? null : o.bypass;
      if (o.caFile !== undefined) {
        if (o.caFile === 'none') change.caFile = null;
        else {
          const pem = readInputFile(o.caFile, 1024 * 1024);
          if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ExitError(2, `${o.caFile} holds no PEM certificate; export your company's CA certificate as Base-64 (PEM).`);
          change.caFile = o.caFile;
        }
      }
      if (o.connectTimeout !== undefined) change.connectTimeoutSeconds = Number(o.connectTimeout);
      if (o.requestTimeout !== undefined) change.requestTimeoutSeconds = Number(o.requestTimeout);
      if (o.maxAttempts !== undefined) change.maxAttempts = Number(o.maxAttempts);
      const check = NetworkSettingsSchema.safeParse({ ...NetworkSettingsSchema.parse({}), ...change });
      if (!check.success) {
        const issue = check.error.issues[0]!;
        throw new ExitError(2, `That network setting is not valid (${issue.path.join('.')}): ${issue.message}.`);
      }
      await withEngine(globals(), async (engine) => {
        saveNetworkSettings(engine.profile.db, change);
        out('Network settings saved. Check them with: ferry connections test');
      });
    });
}
