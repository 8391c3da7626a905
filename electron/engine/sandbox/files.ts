import fs from 'node:fs';
import path from 'node:path';
import type { TenantConfig } from './tenants';

// What an Infor admin and a JAGGAER admin would hand over, per tenant: a Backend Service .ionapi, a
// client-credentials .ionapi and the JAGGAER credentials. Written 0600: they hold the sandbox's secrets.

export interface TenantFiles {
  ionapi: string;
  ionapiClientCredentials: string;
  jaggaer: string;
  jira: string;
}

export interface JaggaerCredentialsFile {
  baseUrl: string;
  poImportPath: string;
  clientId: string;
  clientSecret: string;
  identity: string;
  sharedSecret: string;
}

export function writeTenantFiles(
  dir: string,
  t: TenantConfig,
  e: { sso: string; gateway: string; jaggaer: string; jira: string },
  jaggaer: { clientId: string; clientSecret: string; identity: string; sharedSecret: string },
  jira: object,
): TenantFiles {
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(content, null, 2), { mode: 0o600 });
    return file;
  };
  const backend = t.apps.find((a) => a.kind === 'backend-service')!;
  const cc = t.apps.find((a) => a.kind === 'client-credentials')!;
  const pu = `${e.sso}/${t.id}/as/`;
  return {
    ionapi: write(`${t.id}.ionapi`, {
      ti: t.id, cn: backend.name, dt: '12', ci: backend.clientId, cs: backend.clientSecret, iu: e.gateway, pu,
      oa: 'authorization.oauth2', ot: 'token.oauth2', or: 'revoke_token.oauth2', ev: t.environment, v: '1.0',
      saak: backend.serviceAccountAccessKey, sask: backend.serviceAccountSecretKey,
    }),
    ionapiClientCredentials: write(`${t.id}-client-credentials.ionapi`, { ti: t.id, cn: cc.name, ci: cc.clientId, cs: cc.clientSecret, iu: e.gateway, pu, ot: 'token.oauth2', or: 'revoke_token.oauth2' }),
    jaggaer: write(`${t.id}-jaggaer.json`, { baseUrl: e.jaggaer, poImportPath: '/apps/Router/POXMLImport', ...jaggaer } satisfies JaggaerCredentialsFile),
    // Email + API token (Cloud), a personal access token (Data Center style) and an OAuth 2.0 (3LO) client.
    jira: write(`${t.id}-jira.json`, { baseUrl: e.jira, ...jira }),
  };
}
