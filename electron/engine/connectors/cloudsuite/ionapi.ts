import { z } from 'zod';
import type { IonapiSummary } from '../../../../shared/api';
import { FerryError } from '../../../../shared/errors';

// The .ionapi file an Infor admin downloads from ION API → Authorized Apps. See
// ../shared/docs/external-systems.md for the keys and the variants seen in the wild.

export interface IonapiConnection {
  kind: 'backend-service' | 'client-credentials';
  grantType: 'password' | 'client_credentials';
  tenant: string;
  appName: string;
  clientId: string;
  clientSecret: string;
  serviceAccount: { accessKey: string; secretKey: string } | null;
  gatewayUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  apiBase: string;
  environment: string | null;
}

export const MAX_IONAPI_BYTES = 64 * 1024;
const GET_NEW_FILE = 'download it again from ION API → Authorized Apps, or ask your Infor admin for a new one.';

const keyNames: Record<string, string> = {
  ti: 'the tenant',
  cn: 'the app name',
  ci: 'the client id',
  cs: 'the client secret',
  iu: 'the ION API gateway address',
  pu: 'the sign-in server address',
  ot: 'the token path',
  or: 'the revoke path',
  oa: 'the authorization path',
  saak: 'the service-account access key',
  sask: 'the service-account secret key',
  ev: 'the environment',
  v: 'the version',
  dt: 'the file type',
  ru: 'the redirect address',
};

const text = z.string().transform((s) => s.trim());
const textish = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

// Unknown extra keys are allowed (looseObject): Infor adds keys over time and a file must not break for it.
const fileSchema = z.looseObject({
  ti: text.optional(),
  cn: text.optional(),
  ci: text.optional(),
  cs: text.optional(),
  iu: text.optional(),
  pu: text.optional(),
  oa: text.optional(),
  ot: text.optional(),
  or: text.optional(),
  saak: text.optional(),
  sask: text.optional(),
  ev: textish.optional(),
  v: textish.optional(),
  dt: textish.optional(),
  ru: text.optional(),
});

const invalid = (sentence: string): FerryError => new FerryError('ionapi_invalid', sentence);

/** Parses and validates an .ionapi file. Throws FerryError('ionapi_invalid') with one actionable sentence. */
export function parseIonapi(content: string | Buffer): IonapiConnection {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > MAX_IONAPI_BYTES) {
    throw invalid(`This file is ${Math.round(size / 1024)} KB, far too large to be an .ionapi file (about 1 KB); ${GET_NEW_FILE}`);
  }
  const raw = (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(`This is not an .ionapi file: its content is not JSON; ${GET_NEW_FILE}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw invalid(`This is not an .ionapi file: it does not hold the expected settings; ${GET_NEW_FILE}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]?.path[0] ?? '');
    throw invalid(`The .ionapi file has a wrong value for "${key}" (${keyNames[key] ?? key}): it should be text; ${GET_NEW_FILE}`);
  }
  const f = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== '' && v !== undefined)) as z.infer<typeof fileSchema>;

  const hasServiceAccount = Boolean(f.saak || f.sask);
  if (!hasServiceAccount && (f.ru || (f.oa && !f.dt))) {
    throw invalid(
      'This .ionapi file is for a web application; ask your Infor admin for a "Backend Service" file (ION API → Authorized Apps → Backend Service, with a service account).',
    );
  }
  if (hasServiceAccount && !(f.saak && f.sask)) {
    const missing = f.saak ? 'sask' : 'saak';
    throw invalid(`The .ionapi file is missing "${missing}" (${keyNames[missing]}); ${GET_NEW_FILE}`);
  }
  const tenant = f.ti ?? tenantFromClientId(f.ci);
  for (const [key, value] of [['ci', f.ci], ['cs', f.cs], ['iu', f.iu], ['pu', f.pu], ['ot', f.ot], ['ti', tenant]] as const) {
    if (!value) throw invalid(`The .ionapi file is missing "${key}" (${keyNames[key]}); ${GET_NEW_FILE}`);
  }
  const gatewayUrl = checkUrl('iu', f.iu!).replace(/\/+$/, '');
  const pu = checkUrl('pu', f.pu!);
  return {
    kind: hasServiceAccount ? 'backend-service' : 'client-credentials',
    grantType: hasServiceAccount ? 'password' : 'client_credentials',
    tenant: tenant!,
    appName: f.cn ?? '(unnamed app)',
    clientId: f.ci!,
    clientSecret: f.cs!,
    serviceAccount: hasServiceAccount ? { accessKey: f.saak!, secretKey: f.sask! } : null,
    gatewayUrl,
    tokenUrl: joinAuthPath(pu, f.ot!),
    revokeUrl: f.or ? joinAuthPath(pu, f.or) : null,
    apiBase: `${gatewayUrl}/${tenant}`,
    environment: f.ev ?? null,
  };
}

export function summarizeIonapi(c: IonapiConnection): IonapiSummary {
  return {
    tenant: c.tenant,
    appName: c.appName,
    kind: c.kind,
    grantType: c.grantType,
    tokenUrl: c.tokenUrl,
    revokeUrl: c.revokeUrl,
    apiBase: c.apiBase,
    environment: c.environment,
    secretsPresent: {
      clientSecret: c.clientSecret.length > 0,
      serviceAccountAccessKey: Boolean(c.serviceAccount?.accessKey),
      serviceAccountSecretKey: Boolean(c.serviceAccount?.secretKey),
    },
  };
}

/** Client ids look like "TENANT~random"; newer client-credentials files may leave "ti" out. */
function tenantFromClientId(ci: string | undefined): string | undefined {
  const i = ci?.indexOf('~') ?? -1;
  return i > 0 ? ci!.slice(0, i) : undefined;
}

function checkUrl(key: 'iu' | 'pu', value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`The .ionapi file's "${key}" (${keyNames[key]}) is not a web address; ${GET_NEW_FILE}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`The .ionapi file's "${key}" (${keyNames[key]}) is not a web address; ${GET_NEW_FILE}`);
  }
  return value;
}

// Infor documents plain concatenation (pu ends with "/"); a hand-edited pu without the slash still works.
function joinAuthPath(pu: string, p: string): string {
  return pu.endsWith('/') || p.startsWith('/') ? pu + p : `${pu}/${p}`;
}
