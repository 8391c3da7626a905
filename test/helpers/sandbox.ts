import fs from 'node:fs';
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
