import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createContext, type SandboxContext, type SandboxTenant } from '../../electron/engine/sandbox/context';
import { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { generateJira, jiraCredentials, registerJira, type JiraState } from '../../electron/engine/sandbox/jira';
import { TEST_ORIGIN } from '../helpers/origin';

// Shared by the sandbox-jira*.test.ts files: a sandbox Jira on an ephemeral 127.0.0.1 port, a fetch wrapper
// that records every response, and a validator that checks recorded bodies against Atlassian's OpenAPI
// description (../shared/specs) — the spec itself, loaded whole, not a hand-copied subset.

export const SPEC_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/specs/jira-cloud-platform-v3.openapi.json');

export interface Recorded {
  method: string;
  path: string;
  status: number;
  body: unknown;
  text: string;
}

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/** One request as the sandbox received it (recorded by a hook on its app, so exactly what went on the wire). */
export interface SentRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization: string | undefined;
  /** The parsed JSON body, once a route was about to handle it (undefined when refused before that). */
  body: unknown;
  /** The request got past authentication, rate limit and body parsing to its route. */
  handled: boolean;
  status: number | null;
}
type Spec = { paths: Record<string, Record<string, Operation>> };

/**
 * Statuses Jira can send on any operation though the spec lists them on few: 401 (credentials), 410 (removed
 * APIs), 429 and 503 (rate limits and outages, see docs/external-systems.md).
 */
const PLATFORM_STATUSES = new Set([401, 410, 429, 503]);

export interface Verdict {
  /** A schema was applied and the body passed. */
  checked: boolean;
  /** Why nothing was applied (outside the v3 spec, no schema for that status). */
  skipped?: string;
  /** Set when the body does not conform. */
  error?: string;
}

export class SpecValidator {
  private readonly templates: { template: string; re: RegExp; params: number }[];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly spec: Spec;

  constructor(file = SPEC_FILE) {
    this.spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Spec;
    // OpenAPI 3.0 is not JSON Schema: `nullable` Ajv understands; xml/example/x-*/discriminator are
    // annotations (strict: false ignores them — validation still runs through oneOf/anyOf); formats are
    // defined below as Jira writes them (dates with +0000 offsets, int32/int64 on numbers).
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/);
    this.ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    this.ajv.addFormat('uri', { validate: (s: string) => URL.canParse(s) });
    this.ajv.addFormat('url', { validate: (s: string) => URL.canParse(s) });
    this.ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('byte', true);
    this.ajv.addFormat('binary', true);
    // The whole document is one schema, so every "#/components/schemas/…" $ref resolves inside it.
    this.ajv.addSchema({ ...this.spec, $id: 'jira-openapi' });
    this.templates = Object.keys(this.spec.paths).map((template) => ({
      template,
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }));
  }

  /** The spec's path template for a concrete path; literal segments win over parameters, as in routing. */
  template(rawPath: string): string | undefined {
    const p = rawPath.split('?')[0]!.replace(/^\/ex\/jira\/[0-9a-f-]+/, '');
    return this.templates.filter((t) => t.re.test(p)).sort((a, b) => a.params - b.params)[0]?.template;
  }

  validate(method: string, rawPath: string, status: number, body: unknown): Verdict {
    const p = rawPath.split('?')[0]!.replace(/^\/ex\/jira\/[0-9a-f-]+/, '');
    const template = this.template(p);
    if (!template) return p.startsWith('/rest/api/3/') ? { checked: false, error: `${method} ${p}: no such path in the spec` } : { checked: false, skipped: 'outside the REST v3 spec' };
    const op = this.spec.paths[template]?.[method.toLowerCase()];
    if (!op) return { checked: false, error: `${method} ${template}: no such operation in the spec` };
    const key = op.responses?.[String(status)] ? String(status) : op.responses?.default ? 'default' : undefined;
    if (!key) return PLATFORM_STATUSES.has(status) ? { checked: false, skipped: `status ${status} not listed for the operation` } : { checked: false, error: `${method} ${template}: status ${status} is not documented` };
    // The spec gives some 204s an (empty) JSON schema; HTTP says a 204 has no body at all.
    if (status === 204) return body === undefined ? { checked: false, skipped: '204 has no body' } : { checked: false, error: `${method} ${template} 204: a body on No Content` };
    const media = op.responses![key]!.content;
    const mediaType = media && Object.keys(media).find((m) => m.includes('json'));
    if (!mediaType) return { checked: false, skipped: `no body schema for ${status}` };
    const pointer = ['paths', template, method.toLowerCase(), 'responses', key, 'content', mediaType, 'schema'].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `jira-openapi#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (body === undefined) return { checked: false, error: `${method} ${template} ${status}: expected a JSON body` };
    if (validate(body)) return { checked: true };
    return { checked: false, error: `${method} ${template} ${status}: ${ajvErrors(validate)}` };
  }

  /**
   * A request against the operation it calls: query parameters the operation declares, and the body against
   * its requestBody schema (or no body where it takes none).
   */
  validateRequest(method: string, rawUrl: string, body?: unknown): Verdict {
    const [rawPath = '', query = ''] = rawUrl.split('?', 2);
    const p = rawPath.replace(/^\/ex\/jira\/[0-9a-f-]+/, '');
    const template = this.template(p);
    if (!template) return p.startsWith('/rest/api/3/') ? { checked: false, error: `${method} ${p}: no such path in the spec` } : { checked: false, skipped: 'outside the REST v3 spec' };
    const m = method.toLowerCase();
    const op = this.spec.paths[template]?.[m];
    if (!op) return { checked: false, error: `${method} ${template}: no such operation in the spec` };
    const declared = new Set((op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name));
    const unknown = [...new URLSearchParams(query).keys()].filter((k) => !declared.has(k));
    if (unknown.length) return { checked: false, error: `${method} ${template}: query parameters not in the spec: ${unknown.join(', ')}` };
    const media = op.requestBody?.content;
    const mediaType = media && Object.keys(media).find((x) => x.includes('json'));
    if (!mediaType) return body === undefined ? { checked: true } : { checked: false, error: `${method} ${template}: a body on an operation that takes none` };
    if (body === undefined) return op.requestBody?.required ? { checked: false, error: `${method} ${template}: the required body is missing` } : { checked: true };
    const pointer = ['paths', template, m, 'requestBody', 'content', mediaType, 'schema'].map((x) => x.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `jira-openapi#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(body)) return { checked: true };
    return { checked: false, error: `${method} ${template} request: ${ajvErrors(validate)}` };
  }
}

function ajvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}

let shared: SpecValidator | undefined;
export const specValidator = (): SpecValidator => (shared ??= new SpecValidator());

/** Validates everything a test file recorded; fails listing every mismatch. */
export function expectConformance(recorded: Recorded[], minChecked: number): void {
  const v = specValidator();
  const verdicts = recorded.map((r) => v.validate(r.method, r.path, r.status, r.body));
  const errors = verdicts.flatMap((x) => (x.error ? [x.error] : []));
  expect(errors).toEqual([]);
  // Not vacuous: a real share of the responses went through a schema.
  expect(verdicts.filter((x) => x.checked).length).toBeGreaterThanOrEqual(minChecked);
}

/** Validates every request the sandbox received that reached a route; fails listing every mismatch. */
export function expectRequestConformance(sent: SentRequest[], minChecked: number): void {
  const v = specValidator();
  const verdicts = sent.filter((r) => r.handled).map((r) => v.validateRequest(r.method, r.url, r.body));
  expect(verdicts.flatMap((x) => (x.error ? [x.error] : []))).toEqual([]);
  expect(verdicts.filter((x) => x.checked).length).toBeGreaterThanOrEqual(minChecked);
}

export type AuthKind = 'basic' | 'pat' | 'none' | { header: string };

export interface JiraSandbox {
  ctx: SandboxContext;
  tenant: SandboxTenant;
  state: JiraState;
  app: FastifyInstance;
  base: string;
  gateway: string;
  recorded: Recorded[];
  /** Every request the sandbox received, from any client, in order. */
  sent: SentRequest[];
  call(method: string, urlPath: string, opts?: { body?: unknown; auth?: AuthKind; headers?: Record<string, string>; raw?: string; via?: 'site' | 'gateway' }): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
  /** A fresh OAuth access token (rotating the refresh token, as a client would). */
  oauthToken(): Promise<string>;
  close(): Promise<void>;
}

export const SLPROJS = [
  { RowPointer: 'P1', ProjNum: 'PRJ1001', Description: 'Plant Expansion Phase 2', Stat: 'A', ProjMgr: 'jlopez', CostCenter: 'CC100' },
  { RowPointer: 'P2', ProjNum: 'PRJ1002', Description: 'ERP Upgrade', Stat: 'A', ProjMgr: 'mchen', CostCenter: 'CC200' },
  { RowPointer: 'P3', ProjNum: 'PRJ1003', Description: 'Lab Refit', Stat: 'A', ProjMgr: 'aokafor', CostCenter: 'CC300' },
];

export async function startJira(opts: { seed?: number; projects?: boolean } = {}): Promise<JiraSandbox> {
  const ctx = createContext({ seed: opts.seed ?? 1, scale: 'small', origin: TEST_ORIGIN.getTime() });
  const tenant: SandboxTenant = { id: 'FERRY_TST', ido: new IdoTables(opts.projects === false ? {} : { SLProjs: SLPROJS }, {}, ctx.clock, () => {}) };
  const state = generateJira(ctx, tenant);
  const app = Fastify();
  const sent: SentRequest[] = [];
  const entries = new WeakMap<object, SentRequest>();
  // Root hooks run before the sandbox's own (outage, authentication, rate limit), so even refused requests
  // are recorded; preHandler runs after body parsing, once a route is about to answer.
  app.addHook('onRequest', async (req) => {
    const entry: SentRequest = { method: req.method, url: req.url, authorization: req.headers.authorization, body: undefined, handled: false, status: null };
    entries.set(req, entry);
    sent.push(entry);
  });
  app.addHook('preHandler', async (req) => {
    const entry = entries.get(req);
    if (entry) Object.assign(entry, { body: req.body ?? undefined, handled: true });
  });
  app.addHook('onResponse', async (req, reply) => {
    const entry = entries.get(req);
    if (entry) entry.status = reply.statusCode;
  });
  await registerJira(app, ctx, tenant, state);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const gateway = `${base}/ex/jira/${state.cloudId}`;
  const recorded: Recorded[] = [];
  let lastToken: { token: string; expiresAt: number } | undefined;

  const authHeader = (auth: AuthKind): string | undefined => {
    const c = jiraCredentials(state);
    if (auth === 'basic') return `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}`;
    if (auth === 'pat') return `Bearer ${c.personalAccessToken}`;
    if (auth === 'none') return undefined;
    return auth.header;
  };

  const sandbox: JiraSandbox = {
    ctx,
    tenant,
    state,
    app,
    base,
    gateway,
    recorded,
    sent,
    async call(method, urlPath, o = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
      // Like a real client, the gateway path renews the access token when the sandbox clock says it expired.
      const live = lastToken && lastToken.expiresAt > ctx.clock.now('jira') ? lastToken.token : undefined;
      const auth = authHeader(o.auth ?? (o.via === 'gateway' ? { header: `Bearer ${live ?? (await sandbox.oauthToken())}` } : 'basic'));
      if (auth) headers.authorization = auth;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${o.via === 'gateway' ? gateway : base}${urlPath}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      recorded.push({ method, path: (o.via === 'gateway' ? `/ex/jira/${state.cloudId}` : '') + urlPath, status: res.status, body: parsed, text });
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    async oauthToken() {
      const { oauth } = jiraCredentials(state);
      const res = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: oauth.clientSecret, refresh_token: oauth.refreshToken }),
      });
      const body = (await res.json()) as { access_token: string; expires_in: number };
      recorded.push({ method: 'POST', path: '/oauth/token', status: res.status, body, text: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
      lastToken = { token: body.access_token, expiresAt: ctx.clock.now('jira') + (body.expires_in - 60) * 1000 };
      return lastToken.token;
    },
    close: () => app.close(),
  };
  return sandbox;
}

/** An ADF document with one paragraph. */
export const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
