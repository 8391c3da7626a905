import crypto from 'node:crypto';

// The authorized apps of one sandbox tenant, as an Infor admin would set them up in ION API → Authorized
// Apps: a Backend Service app with a service account (password grant) and a newer client-credentials app.

export interface IonApp {
  kind: 'backend-service' | 'client-credentials';
  name: string;
  clientId: string;
  clientSecret: string;
  serviceAccountAccessKey: string | null;
  serviceAccountSecretKey: string | null;
  /** Whether the app is configured to issue refresh tokens (off by default, as in ION). */
  issueRefreshTokens: boolean;
}

export interface GatewayPolicy {
  /** Requests per minute for this tenant's gateway; null = unlimited. */
  quotaPerMinute: number | null;
  /** The real gateway documents no Retry-After; both styles must be handled. */
  quotaStyle: 'retry-after' | 'no-hint';
  /** Spike arrest: at most this many requests in any one second; null = off. */
  spikeArrestPerSecond: number | null;
  /** Simulated backend processing time per request. */
  backendDelayMs: number;
  /** The gateway gives up with 504 after this long (60 s in ION). */
  gatewayTimeoutMs: number;
}

export interface TenantConfig {
  id: string;
  environment: string;
  mongooseConfigs: string[];
  tokenLifetimeSeconds: number;
  apps: IonApp[];
  gateway: GatewayPolicy;
}

const secret = (bytes: number) => crypto.randomBytes(bytes).toString('base64url');

export function newTenantConfig(id: string, tokenLifetimeSeconds: number, index: number): TenantConfig {
  return {
    id,
    environment: `U10000000${index + 1}`,
    mongooseConfigs: [`CSI_${id.split('_').pop()}`, 'CSI_TRAIN'],
    tokenLifetimeSeconds,
    apps: [
      {
        kind: 'backend-service',
        name: 'Ferry backend',
        clientId: `${id}~${secret(24)}`,
        clientSecret: secret(48),
        serviceAccountAccessKey: `${id}#${secret(48)}`,
        serviceAccountSecretKey: secret(48),
        issueRefreshTokens: false,
      },
      {
        kind: 'client-credentials',
        name: 'Ferry client credentials',
        clientId: `${id}~${secret(24)}`,
        clientSecret: secret(48),
        serviceAccountAccessKey: null,
        serviceAccountSecretKey: null,
        issueRefreshTokens: false,
      },
    ],
    gateway: { quotaPerMinute: null, quotaStyle: 'no-hint', spikeArrestPerSecond: null, backendDelayMs: 0, gatewayTimeoutMs: 60_000 },
  };
}
