import fs from 'node:fs';
import { ionTokenCache } from '../../electron/engine/auth/ion';
import { IdoClient } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { Http } from '../../electron/engine/http/client';
import type { Sandbox } from '../../electron/engine/sandbox';

// Small helpers for tests that talk to the sandbox over HTTP the way Ferry's clients do.

export interface IonapiFile {
  ti: string;
  ci: string;
  cs: string;
  iu: string;
  pu: string;
  ot: string;
  or: string;
  saak?: string;
  sask?: string;
}

export function ionapiOf(sandbox: Sandbox, tenant = sandbox.tenant, kind: 'backend' | 'client-credentials' = 'backend'): IonapiFile {
  const files = sandbox.tenants[tenant]!.files;
  return JSON.parse(fs.readFileSync(kind === 'backend' ? files.ionapi : files.ionapiClientCredentials, 'utf8')) as IonapiFile;
}

export async function tokenRequest(f: IonapiFile, form: Record<string, string>, basic = false): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const fields = { ...form };
  if (basic) headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(f.ci)}:${encodeURIComponent(f.cs)}`).toString('base64')}`;
  else Object.assign(fields, { client_id: f.ci, client_secret: f.cs });
  const res = await fetch(f.pu + f.ot, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function passwordToken(sandbox: Sandbox, tenant = sandbox.tenant): Promise<string> {
  const f = ionapiOf(sandbox, tenant);
  const res = await tokenRequest(f, { grant_type: 'password', username: f.saak!, password: f.sask! });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

/** GET an IDO load through the gateway. */
export function idoLoad(sandbox: Sandbox, token: string, query: string, tenant = sandbox.tenant): Promise<Response> {
  return fetch(`${sandbox.endpoints.gateway}/${tenant}/CSI/IDORequestService/ido/load/${query}`, {
    headers: { Authorization: `Bearer ${token}`, 'X-Infor-MongooseConfig': sandbox.tenants[tenant]!.mongooseConfig },
  });
}

/** Calls the control endpoint with its token. */
export async function control<T = unknown>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(sandbox.control.url + path, {
    method,
    headers: { Authorization: `Bearer ${sandbox.control.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Raw IDO REST calls for one tenant: a password-grant token from its .ionapi, and ION's two headers. */
export interface IdoApi {
  get<T>(path: string, params?: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  post<T>(path: string, body: unknown, raw?: boolean): Promise<{ status: number; body: T }>;
}

export async function idoApi(sandbox: Sandbox, tenant = sandbox.tenant): Promise<IdoApi> {
  const token = await passwordToken(sandbox, tenant);
  const f = ionapiOf(sandbox, tenant);
  const base = `${f.iu}/${f.ti}/CSI/IDORequestService/ido`;
  const config = sandbox.tenants[tenant]!.mongooseConfig;
  return {
    async get<T>(path: string, params: Record<string, string> = {}, headers: Record<string, string> = { 'X-Infor-MongooseConfig': config }) {
      const r = await fetch(`${base}${path}?${new URLSearchParams(params).toString()}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
      return { status: r.status, body: (await r.json()) as T };
    },
    async post<T>(path: string, body: unknown, raw = false) {
      const headers = { Authorization: `Bearer ${token}`, 'X-Infor-MongooseConfig': config, 'Content-Type': 'application/json' };
      const r = await fetch(base + path, { method: 'POST', headers, body: raw ? String(body) : JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as T };
    },
  };
}

/** Ferry's own IDO client, connected to the sandbox exactly as a stored connection would be. */
export function ferryIdoClient(sandbox: Sandbox, tenant = sandbox.tenant): IdoClient {
  const http = new Http({ system: 'CloudSuite' });
  const ionapi = parseIonapi(fs.readFileSync(sandbox.tenants[tenant]!.files.ionapi, 'utf8'));
  return new IdoClient(http, ionTokenCache(http, ionapi), {
    idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`,
    mongooseConfig: sandbox.tenants[tenant]!.mongooseConfig,
  });
}
