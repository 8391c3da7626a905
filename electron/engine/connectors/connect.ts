import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import { ionTokenCache } from '../auth/ion';
import type { TokenCache } from '../auth/token-cache';
import type { HttpPool } from '../http/pool';
import { connectJiraClient, jiraConfig, type JiraClient, type JiraConfig, type JiraSecrets } from './jira/index';
import type { Profile } from '../store/profile';
import { connectionConfig, loadConnection, saveConnection } from '../store/connections';
import type { CloudSuiteAdapter } from './cloudsuite/adapter';
import { IdoClient } from './cloudsuite/ido-client';
import { IndustrialAdapter } from './cloudsuite/industrial';
import type { IonapiConnection } from './cloudsuite/ionapi';
import { M3Adapter } from './cloudsuite/m3';
import { M3Client } from './cloudsuite/m3-client';
import { glParmTemplate } from './cloudsuite/m3-gl-parm';
import { accountCode, glInterface as m3GlInterface, invoiceLineType, poAccounts, supplierAddress, supplierNumber } from './cloudsuite/m3-settings';
import { JaggaerClient } from './jaggaer/client';
import { jaggaerPathsConfig } from './jaggaer/paths';
import { DEFAULT_PO_IMPORT_PATH, type JaggaerPoClient } from './jaggaer/po-import';

// Stored connections → live clients. Config is validated on the way out of the database too: a row written
// by an older version or edited by hand yields a sentence, not a crash mid-run.

/** ION's quota is set per tenant by its admin and not published; 300/min is Ferry's default (100–500 is typical). */
export const DEFAULT_ION_LIMIT_PER_MINUTE = 300;

/**
 * M3 is addressed by company (CONO, 100 unless the tenant says otherwise) and optionally a division (DIVI).
 * The rest is what Infor does not publish and the M3 administrator states (m3-settings.ts); none has a default
 * that would pretend to be right, so each is optional and the flow that needs it refuses until it is set.
 */
export const m3Settings = z.object({
  company: z.number().int().min(0).max(999),
  division: z.string().regex(/^[A-Za-z0-9]{1,3}$/, 'must be a division code of up to 3 letters or digits').optional(),
  /** GLS840MI AddBatchLine's PARM layout as a template (m3-gl-parm.ts). */
  glParm: glParmTemplate.optional(),
  /** GLS840MI's interface (INTN) for Ferry's batches (default FERRY). */
  glInterface: m3GlInterface.optional(),
  /** The supplier CRS620MI CopyTemplate copies for a new supplier. */
  supplierTemplate: supplierNumber.optional(),
  /** The supplier address (type and number) Ferry reads and writes. */
  supplierAddress: supplierAddress.optional(),
  /** Where PO lines are booked: item:ITEM, type:ORDERTYPE or * → account (and cost center). */
  poAccounts: poAccounts.optional(),
  /** APS450MI's line type (RDTP) for an invoice line matched to a PO line. */
  poLineType: invoiceLineType.optional(),
  /** The payables account(s) that mark a supplier invoice's voucher in the ledger (GLS200MI). */
  payablesAccounts: z.array(accountCode).min(1).optional(),
});
export type M3Settings = z.infer<typeof m3Settings>;
export const DEFAULT_M3_COMPANY = 100;

/** A user-defined field of the PO header (SLPos), as the customer named it. */
// A customer's own user field: CloudSuite's user fields are named Uf_… (contracts/cloudsuite-industrial.json).
const udf = z
  .string()
  .regex(/^Uf_[A-Za-z0-9_]{1,60}$/, 'must be a user field name such as Uf_JiraKey ("Uf_", then letters, digits and "_")')
  .transform((v) => v as `Uf_${string}`);
const poFields = z.object({ jiraKey: udf, jiraNote: udf, project: udf }).partial();
export type PoFieldNames = z.infer<typeof poFields>;

/**
 * A journal id (SLJournals.Id): no public source gives its length, so Ferry takes what a person can type —
 * letters, digits, spaces and - _ . / — up to 30 characters, and the connection test says which one it uses.
 */
export const journalId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _./-]{0,29}$/, 'must be a journal id such as FERRY: up to 30 letters, digits, spaces or - _ . /, starting with a letter or digit');

const cloudsuiteConfig = z.object({
  // Connections saved before M3 existed have 'industrial' here and no m3 part.
  product: z.enum(['industrial', 'm3']),
  /** Industrial only: the Mongoose configuration (X-Infor-MongooseConfig). */
  mongooseConfig: z.string().min(1).nullable(),
  m3: m3Settings.optional(),
  /** Industrial: the SLPos user fields for the Jira key, the Jira status note and the project (defaults Uf_JiraKey, Uf_JiraNote, Uf_ProjNum). */
  poFields: poFields.optional(),
  /** Industrial: the journal Ferry enters and posts its GL journals in (default FERRY); the admin creates it for Ferry alone. */
  journal: journalId.optional(),
  rateLimitPerMinute: z.number().int().min(1).max(10_000).nullable().default(DEFAULT_ION_LIMIT_PER_MINUTE),
  ionapi: z.object({
    kind: z.enum(['backend-service', 'client-credentials']),
    grantType: z.enum(['password', 'client_credentials']),
    tenant: z.string(),
    appName: z.string(),
    clientId: z.string(),
    gatewayUrl: z.string(),
    tokenUrl: z.string(),
    revokeUrl: z.string().nullable(),
    apiBase: z.string(),
    environment: z.string().nullable(),
  }),
});
export type CloudSuiteConfig = z.infer<typeof cloudsuiteConfig>;

const cloudsuiteSecrets = z.object({
  clientSecret: z.string(),
  accessKey: z.string().optional(),
  secretKey: z.string().optional(),
  /** Kept when the ION app issues refresh tokens: reused by the next run, revoked when the connection goes. */
  ionRefreshToken: z.string().optional(),
});

export const jaggaerConfig = z.object({
  baseUrl: z.url(),
  poImportPath: z.string().startsWith('/').default(DEFAULT_PO_IMPORT_PATH),
  clientId: z.string().min(1),
  /** The customer's endpoint paths where they differ from the published ones (JAGGAER specs are per customer). */
  paths: jaggaerPathsConfig.optional(),
});
export type JaggaerConfig = z.infer<typeof jaggaerConfig>;
export const jaggaerSecrets = z.object({ clientSecret: z.string().min(1), identity: z.string().min(1), sharedSecret: z.string().min(1) });
export type JaggaerSecrets = z.infer<typeof jaggaerSecrets>;

/** Settings beside the .ionapi file; what is left out keeps its stored value (a re-import changes only the file). */
export interface CloudSuiteConnectionOptions {
  product?: 'industrial' | 'm3';
  /** M3: what is given replaces the stored value; `null` clears it (poAccounts are merged rule by rule). */
  m3?: { company?: number } & { [K in Exclude<keyof M3Settings, 'company'>]?: M3Settings[K] | null };
  /** Industrial: the names of the PO header user fields the Jira flows read and write, where they differ from the defaults. */
  poFields?: PoFieldNames;
  /** The tenant's ION quota per minute, or null when unknown (the budget then adapts to 429s). */
  rateLimitPerMinute?: number | null;
  /** Industrial: the journal for Ferry's GL journals, where it is not FERRY. */
  journal?: string;
}

export function saveCloudSuiteConnection(profile: Profile, ionapi: IonapiConnection, mongooseConfig: string | null, options: CloudSuiteConnectionOptions = {}): void {
  const previous = connectionConfig(profile.db, 'cloudsuite');
  const keepConfig = cloudsuiteConfig.safeParse(previous?.config);
  const { clientSecret, serviceAccount, ...publicPart } = ionapi;
  const kept = keepConfig.success ? keepConfig.data : null;
  const product = options.product ?? kept?.product ?? 'industrial';
  const config: CloudSuiteConfig = {
    product,
    mongooseConfig: mongooseConfig ?? kept?.mongooseConfig ?? null,
    m3: product === 'm3' ? mergeM3(kept?.m3, options.m3) : kept?.m3,
    poFields: options.poFields ? poFields.parse({ ...kept?.poFields, ...options.poFields }) : kept?.poFields,
    journal: options.journal !== undefined ? journalId.parse(options.journal) : kept?.journal,
    rateLimitPerMinute: options.rateLimitPerMinute !== undefined ? options.rateLimitPerMinute : (kept ? kept.rateLimitPerMinute : DEFAULT_ION_LIMIT_PER_MINUTE),
    ionapi: publicPart,
  };
  const secrets: Record<string, string> = { clientSecret };
  if (serviceAccount) Object.assign(secrets, { accessKey: serviceAccount.accessKey, secretKey: serviceAccount.secretKey });
  saveConnection(profile.db, profile.sealKey, 'cloudsuite', cloudsuiteConfig.parse(config), secrets);
}

/** The stored M3 settings with the given ones over them, checked. */
function mergeM3(kept: M3Settings | undefined, given: CloudSuiteConnectionOptions['m3']): M3Settings {
  const merged: Record<string, unknown> = { ...kept, company: given?.company ?? kept?.company ?? DEFAULT_M3_COMPANY };
  for (const [k, v] of Object.entries(given ?? {})) {
    if (k === 'company' || v === undefined) continue;
    if (v === null) delete merged[k];
    else merged[k] = k === 'poAccounts' ? { ...kept?.poAccounts, ...(v as object) } : v;
  }
  return m3Settings.parse(merged);
}

export function saveJaggaerConnection(profile: Profile, config: JaggaerConfig, secrets: JaggaerSecrets): void {
  saveConnection(profile.db, profile.sealKey, 'jaggaer', jaggaerConfig.parse(config), jaggaerSecrets.parse(secrets));
}

export interface CloudSuiteLink {
  adapter: CloudSuiteAdapter;
  /** The product's own client: IDOs for Industrial, MI programs for M3 (the other is null). */
  ido: IdoClient | null;
  m3: M3Client | null;
  tokens: TokenCache;
  secrets: string[];
}

interface StoredCloudSuite {
  config: CloudSuiteConfig;
  secrets: z.infer<typeof cloudsuiteSecrets>;
  /** The .ionapi connection as it was imported, secrets included (in this process only). */
  ionapi: IonapiConnection;
}

/** The stored CloudSuite connection, checked; a missing or damaged one is a sentence, not a crash mid-run. */
export function storedCloudSuite(profile: Profile): StoredCloudSuite {
  const stored = loadConnection(profile.db, profile.sealKey, 'cloudsuite');
  if (!stored) {
    throw new FerryError('not_connected', 'CloudSuite is not set up in this profile yet: import your .ionapi file in Connections (or run "ferry demo" to try sample data).');
  }
  const config = cloudsuiteConfig.safeParse(stored.config);
  const secrets = cloudsuiteSecrets.safeParse(stored.secrets);
  if (!config.success || !secrets.success) {
    throw new FerryError('connection_damaged', 'The stored CloudSuite connection is incomplete; import the .ionapi file again in Connections.');
  }
  const s = secrets.data;
  const ionapi: IonapiConnection = {
    ...config.data.ionapi,
    clientSecret: s.clientSecret,
    serviceAccount: s.accessKey && s.secretKey ? { accessKey: s.accessKey, secretKey: s.secretKey } : null,
  };
  return { config: config.data, secrets: s, ionapi };
}

export function connectCloudSuite(profile: Profile, pool: HttpPool): CloudSuiteLink {
  const { config: c, secrets: s, ionapi } = storedCloudSuite(profile);
  const { product, mongooseConfig } = c;
  const secretValues = Object.values(s).filter((v): v is string => typeof v === 'string');
  // One request budget per tenant: every flow of this tenant draws from it.
  const http = pool.create({ system: 'CloudSuite', limiterKey: `ion:${ionapi.gatewayUrl}/${ionapi.tenant}`, perMinute: c.rateLimitPerMinute, secrets: secretValues });
  const tokens = ionTokenCache(http, ionapi, undefined, {
    refreshToken: s.ionRefreshToken ?? null,
    save: (refreshToken) => {
      const current = loadConnection(profile.db, profile.sealKey, 'cloudsuite');
      if (!current) return;
      const { ionRefreshToken: _old, ...rest } = current.secrets;
      saveConnection(profile.db, profile.sealKey, 'cloudsuite', current.config, refreshToken ? { ...rest, ionRefreshToken: refreshToken } : rest);
    },
  });
  if (product === 'm3') {
    const { company, division, ...rest } = c.m3 ?? { company: DEFAULT_M3_COMPANY };
    const m3 = new M3Client(http, tokens, { m3Base: `${ionapi.apiBase}/M3/m3api-rest/v2/execute`, company, division });
    return { adapter: new M3Adapter(m3, rest), ido: null, m3, tokens, secrets: secretValues };
  }
  if (!mongooseConfig) {
    throw new FerryError('no_mongoose_config', 'Choose the CloudSuite configuration (for example CSI_DALS) in Connections before syncing.');
  }
  const ido = new IdoClient(http, tokens, { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig });
  const names = c.poFields ?? {};
  const adapter = new IndustrialAdapter(ido, {
    purchaseOrderFields: { ...(names.jiraKey ? { jiraKey: names.jiraKey } : {}), ...(names.jiraNote ? { jiraNote: names.jiraNote } : {}) },
    projectField: names.project,
    journalId: c.journal,
  });
  return { adapter, ido, m3: null, tokens, secrets: secretValues };
}

export interface JaggaerLink {
  client: JaggaerClient;
  po: JaggaerPoClient;
  tokens: TokenCache;
  secrets: string[];
}

export function connectJaggaer(profile: Profile, pool: HttpPool): JaggaerLink {
  const stored = loadConnection(profile.db, profile.sealKey, 'jaggaer');
  if (!stored) throw new FerryError('not_connected', 'JAGGAER is not set up in this profile yet: enter its address and credentials in Connections.');
  const config = jaggaerConfig.safeParse(stored.config);
  const secrets = jaggaerSecrets.safeParse(stored.secrets);
  if (!config.success || !secrets.success) {
    throw new FerryError('connection_damaged', 'The stored JAGGAER connection is incomplete; enter its credentials again in Connections.');
  }
  const all = Object.values(secrets.data);
  // JAGGAER publishes no rate limit: the budget adapts to its 429s.
  const http = pool.create({ system: 'JAGGAER', limiterKey: `jaggaer:${new URL(config.data.baseUrl).host}`, perMinute: null, secrets: all });
  const { baseUrl, clientId, poImportPath, paths } = config.data;
  const client = new JaggaerClient(http, { baseUrl, clientId, poImportPath, paths, ...secrets.data });
  return { client, po: client.po, tokens: client.tokens, secrets: all };
}

export function saveJiraConnection(profile: Profile, config: JiraConfig, secrets: JiraSecrets): void {
  const parsed = jiraConfig.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FerryError('invalid_input', `The Jira connection is not valid (${issue?.path.join('.') || 'address'}): ${issue?.message ?? 'check the address'}.`);
  }
  saveConnection(profile.db, profile.sealKey, 'jira', parsed.data, secrets as Record<string, string>);
}

export interface JiraLink {
  client: JiraClient;
  config: JiraConfig;
}

export function connectJira(profile: Profile, pool: HttpPool): JiraLink {
  const stored = loadConnection(profile.db, profile.sealKey, 'jira');
  if (!stored) throw new FerryError('not_connected', 'Jira is not set up in this profile yet: enter its address and credentials in Connections.');
  const config = stored.config as JiraConfig;
  const client = connectJiraClient({
    config,
    secrets: stored.secrets as JiraSecrets,
    pool,
    // Atlassian rotates refresh tokens: the new one is sealed into the database before the access token
    // that came with it is used, so a crash can never leave Ferry holding only a spent token.
    saveRefreshToken: (refreshToken) => {
      const current = loadConnection(profile.db, profile.sealKey, 'jira');
      saveConnection(profile.db, profile.sealKey, 'jira', current?.config ?? config, { ...(current?.secrets ?? stored.secrets), refreshToken });
    },
  });
  return { client, config };
}
