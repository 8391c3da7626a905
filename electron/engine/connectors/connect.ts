import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import { ionTokenCache } from '../auth/ion';
import { jaggaerTokenCache } from '../auth/jaggaer';
import type { TokenCache } from '../auth/token-cache';
import type { HttpPool } from '../http/pool';
import type { Profile } from '../store/profile';
import { connectionConfig, loadConnection, saveConnection } from '../store/connections';
import type { CloudSuiteAdapter } from './cloudsuite/adapter';
import { IdoClient } from './cloudsuite/ido-client';
import { IndustrialAdapter } from './cloudsuite/industrial';
import type { IonapiConnection } from './cloudsuite/ionapi';
import { DEFAULT_PO_IMPORT_PATH, JaggaerPoClient } from './jaggaer/po-import';

// Stored connections → live clients. Config is validated on the way out of the database too: a row written
// by an older version or edited by hand yields a sentence, not a crash mid-run.

/** ION's quota is set per tenant by its admin and not published; 300/min is Ferry's default (100–500 is typical). */
export const DEFAULT_ION_LIMIT_PER_MINUTE = 300;

const cloudsuiteConfig = z.object({
  product: z.literal('industrial'),
  mongooseConfig: z.string().min(1).nullable(),
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

const cloudsuiteSecrets = z.object({ clientSecret: z.string(), accessKey: z.string().optional(), secretKey: z.string().optional() });

export const jaggaerConfig = z.object({
  baseUrl: z.url(),
  poImportPath: z.string().startsWith('/').default(DEFAULT_PO_IMPORT_PATH),
  clientId: z.string().min(1),
});
export type JaggaerConfig = z.infer<typeof jaggaerConfig>;
export const jaggaerSecrets = z.object({ clientSecret: z.string().min(1), identity: z.string().min(1), sharedSecret: z.string().min(1) });
export type JaggaerSecrets = z.infer<typeof jaggaerSecrets>;

export function saveCloudSuiteConnection(profile: Profile, ionapi: IonapiConnection, mongooseConfig: string | null): void {
  const previous = connectionConfig(profile.db, 'cloudsuite');
  const keepConfig = cloudsuiteConfig.safeParse(previous?.config);
  const { clientSecret, serviceAccount, ...publicPart } = ionapi;
  const config: CloudSuiteConfig = {
    product: 'industrial',
    mongooseConfig: mongooseConfig ?? (keepConfig.success ? keepConfig.data.mongooseConfig : null),
    rateLimitPerMinute: keepConfig.success ? keepConfig.data.rateLimitPerMinute : DEFAULT_ION_LIMIT_PER_MINUTE,
    ionapi: publicPart,
  };
  const secrets: Record<string, string> = { clientSecret };
  if (serviceAccount) Object.assign(secrets, { accessKey: serviceAccount.accessKey, secretKey: serviceAccount.secretKey });
  saveConnection(profile.db, profile.sealKey, 'cloudsuite', config, secrets);
}

export function saveJaggaerConnection(profile: Profile, config: JaggaerConfig, secrets: JaggaerSecrets): void {
  saveConnection(profile.db, profile.sealKey, 'jaggaer', jaggaerConfig.parse(config), jaggaerSecrets.parse(secrets));
}

export interface CloudSuiteLink {
  adapter: CloudSuiteAdapter;
  ido: IdoClient;
  tokens: TokenCache;
  secrets: string[];
}

export function connectCloudSuite(profile: Profile, pool: HttpPool): CloudSuiteLink {
  const stored = loadConnection(profile.db, profile.sealKey, 'cloudsuite');
  if (!stored) {
    throw new FerryError('not_connected', 'CloudSuite is not set up in this profile yet: import your .ionapi file in Connections (or run "ferry demo" to try sample data).');
  }
  const config = cloudsuiteConfig.safeParse(stored.config);
  const secrets = cloudsuiteSecrets.safeParse(stored.secrets);
  if (!config.success || !secrets.success) {
    throw new FerryError('connection_damaged', 'The stored CloudSuite connection is incomplete; import the .ionapi file again in Connections.');
  }
  if (!config.data.mongooseConfig) {
    throw new FerryError('no_mongoose_config', 'Choose the CloudSuite configuration (for example CSI_DALS) in Connections before syncing.');
  }
  const s = secrets.data;
  const ionapi: IonapiConnection = {
    ...config.data.ionapi,
    clientSecret: s.clientSecret,
    serviceAccount: s.accessKey && s.secretKey ? { accessKey: s.accessKey, secretKey: s.secretKey } : null,
  };
  const secretValues = Object.values(s).filter((v): v is string => typeof v === 'string');
  // One request budget per tenant: every flow of this tenant draws from it.
  const http = pool.create({ system: 'CloudSuite', limiterKey: `ion:${ionapi.gatewayUrl}/${ionapi.tenant}`, perMinute: config.data.rateLimitPerMinute, secrets: secretValues });
  const tokens = ionTokenCache(http, ionapi);
  const ido = new IdoClient(http, tokens, { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: config.data.mongooseConfig });
  return { adapter: new IndustrialAdapter(ido), ido, tokens, secrets: secretValues };
}

export interface JaggaerLink {
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
  return {
    po: new JaggaerPoClient(http, { baseUrl: config.data.baseUrl, poImportPath: config.data.poImportPath, identity: secrets.data.identity, sharedSecret: secrets.data.sharedSecret }),
    tokens: jaggaerTokenCache(http, { baseUrl: config.data.baseUrl, clientId: config.data.clientId, clientSecret: secrets.data.clientSecret }),
    secrets: all,
  };
}
