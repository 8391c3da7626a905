import fs from 'node:fs';
import path from 'node:path';
import formbody from '@fastify/formbody';
import { FerryError } from '../../../shared/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import { addCloudSuiteActivity } from './activity';
import { Clock, createContext, type SandboxContext, type Scale, type SystemName } from './context';
import { startControl, type Activity } from './control';
import { Faults, type FaultProfile } from './faults';
import { applyGateway } from './gateway';
import { registerIdo } from './ido';
import { registerM3 } from './m3/index';
import { IdoTables } from './ido-tables';
import { registerSso, TokenRegistry } from './ion';
import { addJaggaerActivity, approveJaggaerInvoice, generateJaggaer, jaggaerCredentials, registerJaggaer, type JaggaerState } from './jaggaer/index';
import { addJiraActivity, flushJiraDeliveries, generateJira, jiraCredentials, registerJira, setJiraRateLimit, type JiraState, type RateLimitReason } from './jira/index';
import type { TenantRuntime } from './runtime';
import { generateWorld } from './seed';
import { loadState, Saver, saveState, type PersistedState } from './state';
import { RequestStats } from './stats';
import { newTenantConfig } from './tenants';
import { writeTenantFiles, type TenantFiles } from './files';

// The built-in sandbox: ION's sign-in server and API gateway (several tenants, CloudSuite Industrial behind
// it), and per tenant a JAGGAER, each on its own 127.0.0.1 port like the separate hosts they are in real
// life, plus a loopback-only control endpoint for tests and demos.

export interface SandboxOptions {
  /** Where the sandbox keeps its world and writes the .ionapi and credential files. */
  dir: string;
  /** Generator seed and size; when the folder already holds a world, they must match it (or be left out). */
  seed?: number;
  scale?: Scale;
  /** Overrides the scale's PO count (tests). */
  poCount?: number;
  /**
   * The instant a new world starts at: every generated date hangs off it and the sandbox's clock starts there
   * (default: now). Same seed and origin → the same world, whatever day it is started. A world already in the
   * folder keeps the origin it was generated with.
   */
  origin?: Date;
  tenants?: string[];
  tokenLifetimeSeconds?: number;
  faults?: FaultProfile;
  port?: { sso?: number; gateway?: number; control?: number };
}

export interface SandboxTenantInfo {
  id: string;
  mongooseConfig: string;
  endpoints: { jaggaer: string; jira: string };
  files: TenantFiles;
}

export interface Sandbox {
  /** The first tenant: the one `ferry demo` connects to. */
  tenant: string;
  mongooseConfig: string;
  endpoints: { sso: string; gateway: string; jaggaer: string; control: string };
  files: { ionapi: string; jaggaer: string; state: string; control: string };
  tenants: Record<string, SandboxTenantInfo>;
  control: { url: string; token: string };
  seed: number;
  scale: Scale;
  /** The world's origin: where its dates hang off and its clock started. */
  origin: Date;
  clock: Clock;
  faults: Faults;
  stats: RequestStats;
  tokens: TokenRegistry;
  runtime(tenant?: string): TenantRuntime;
  addActivity(tenant: string, what: Activity): Record<string, unknown>;
  save(): void;
  close(): Promise<void>;
}

export const DEFAULT_TENANTS = ['FERRY_TST', 'FERRY_PRD'];
const DEFAULT_SEED = 20261121;

async function listen(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('sandbox server has no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

function gatewaySystem(p: string): SystemName {
  return p.includes('/CSI/') ? 'ido' : p.includes('/M3/') ? 'm3' : 'ion';
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const stateFile = path.join(opts.dir, 'state.json');
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const previous = loadState(stateFile);
  if (previous && ((opts.seed !== undefined && opts.seed !== previous.seed) || (opts.scale !== undefined && opts.scale !== previous.scale))) {
    throw new FerryError(
      'sandbox_world_mismatch',
      `The sandbox folder ${opts.dir} holds a world generated with seed ${previous.seed} at scale ${previous.scale}. Remove that folder, or use another --data-dir, to start a different world.`,
    );
  }
  if (previous && opts.origin !== undefined && opts.origin.getTime() !== Date.parse(previous.origin)) {
    throw new FerryError(
      'sandbox_world_mismatch',
      `The sandbox folder ${opts.dir} holds a world that starts at ${previous.origin}. Remove that folder, or use another --data-dir, to start a world at ${opts.origin.toISOString()}.`,
    );
  }
  const origin = opts.origin?.getTime() ?? Date.now();
  if (!Number.isFinite(origin)) throw new FerryError('invalid_input', 'The sandbox origin is not a valid date and time.');
  const state: PersistedState = previous ?? {
    version: 2,
    seed: opts.seed ?? DEFAULT_SEED,
    scale: opts.scale ?? 'small',
    poCount: opts.poCount ?? null,
    origin: new Date(origin).toISOString(),
    clockOffsetMs: origin - Date.now(),
    tenants: {},
  };
  // The world's clock runs on from where it was (a world made before the clock was kept runs on real time).
  const clock = new Clock(state.clockOffsetMs ?? 0);
  const saver = new Saver(() => {
    state.clockOffsetMs = clock.offset;
    saveState(stateFile, state);
  });
  const ctx: SandboxContext = createContext({ seed: state.seed, scale: state.scale, origin: Date.parse(state.origin), clock, changed: () => saver.schedule() });

  const tenants = new Map<string, TenantRuntime>();
  (opts.tenants ?? (previous ? Object.keys(previous.tenants) : DEFAULT_TENANTS)).forEach((id, index) => {
    const persisted = (state.tenants[id] ??= {
      config: newTenantConfig(id, opts.tokenLifetimeSeconds ?? 3600, index),
      idoOverlay: {},
      jaggaer: null,
      jira: null,
    });
    if (opts.tokenLifetimeSeconds !== undefined) persisted.config.tokenLifetimeSeconds = opts.tokenLifetimeSeconds;
    const base = generateWorld({ seed: state.seed + 7919 * index, scale: state.scale, origin: new Date(state.origin), poCount: state.poCount ?? undefined });
    const ido = new IdoTables(base, persisted.idoOverlay, clock, ctx.changed);
    const tenant = { id, ido };
    const runtime: TenantRuntime = {
      ...tenant,
      config: persisted.config,
      jaggaer: (persisted.jaggaer as JaggaerState | null) ?? generateJaggaer(ctx, tenant),
      jira: (persisted.jira as JiraState | null) ?? generateJira(ctx, tenant),
    };
    persisted.jaggaer = runtime.jaggaer;
    persisted.jira = runtime.jira;
    tenants.set(id, runtime);
  });
  saver.flush();

  const configOf = (id: string) => tenants.get(id)?.config;
  const tokens = new TokenRegistry(clock);
  const faults = new Faults(clock, state.seed);
  if (opts.faults) faults.set(opts.faults);
  const stats = new RequestStats();
  const instrument = (app: FastifyInstance, systemOf: (p: string) => SystemName) => {
    stats.install(app, systemOf);
    faults.install(app, systemOf);
  };

  const sso = Fastify({ logger: false });
  await sso.register(formbody);
  instrument(sso, () => 'ion');
  registerSso(sso, configOf, tokens);

  const gateway = Fastify({ logger: false });
  instrument(gateway, gatewaySystem);
  applyGateway(gateway, configOf, tokens, clock);
  registerIdo(gateway, (id) => tenants.get(id));
  registerM3(gateway, (id) => tenants.get(id), ctx);

  const apps: FastifyInstance[] = [sso, gateway];
  const jaggaerApps = new Map<string, FastifyInstance>();
  const jiraApps = new Map<string, FastifyInstance>();
  for (const t of tenants.values()) {
    const jaggaer = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
    instrument(jaggaer, () => 'jaggaer');
    await registerJaggaer(jaggaer, ctx, t, t.jaggaer);
    jaggaerApps.set(t.id, jaggaer);
    const jira = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
    instrument(jira, () => 'jira');
    await registerJira(jira, ctx, t, t.jira);
    jiraApps.set(t.id, jira);
    apps.push(jaggaer, jira);
  }

  const addActivity = (id: string, what: Activity): Record<string, unknown> => {
    const t = tenants.get(id);
    if (!t) throw new Error(`unknown tenant ${id}`);
    const cloudsuite = addCloudSuiteActivity(ctx, t, what);
    const invoicesBefore = t.jaggaer.invoices.length;
    if (what.invoices) addJaggaerActivity(ctx, t, t.jaggaer, { invoices: what.invoices });
    const worklogsBefore = t.jira.worklogs.length;
    const issuesBefore = t.jira.issues.length;
    if (what.worklogs || what.issues) addJiraActivity(ctx, t, t.jira, { worklogs: what.worklogs, issues: what.issues });
    return {
      cloudsuite,
      jaggaer: { invoices: t.jaggaer.invoices.slice(invoicesBefore).map((i) => i.invoiceId) },
      jira: { worklogs: t.jira.worklogs.length - worklogsBefore, issues: t.jira.issues.length - issuesBefore },
    };
  };

  try {
    const endpoints = { sso: await listen(sso, opts.port?.sso), gateway: await listen(gateway, opts.port?.gateway) };
    const infos: Record<string, SandboxTenantInfo> = {};
    for (const t of tenants.values()) {
      const jaggaerUrl = await listen(jaggaerApps.get(t.id)!);
      const jiraUrl = await listen(jiraApps.get(t.id)!);
      infos[t.id] = {
        id: t.id,
        mongooseConfig: t.config.mongooseConfigs[0]!,
        endpoints: { jaggaer: jaggaerUrl, jira: jiraUrl },
        files: writeTenantFiles(
          opts.dir,
          t.config,
          { sso: endpoints.sso, gateway: endpoints.gateway, jaggaer: jaggaerUrl, jira: jiraUrl },
          jaggaerCredentials(t.jaggaer),
          jiraCredentials(t.jira),
        ),
      };
    }
    const control = await startControl(
      {
        clock,
        faults,
        stats,
        tenants,
        revokeTokens: (id) => tokens.revokeTenant(id),
        addActivity,
        section: (id, system, name) => {
          const t = tenants.get(id);
          const source = (system === 'jaggaer' ? t?.jaggaer : t?.jira) as unknown as Record<string, unknown> | undefined;
          // Secrets stay out of inspection: they are in the credential files already.
          return ['credentials', 'auth', 'oauth'].includes(name) ? undefined : source?.[name];
        },
        approveInvoice: (id, invoiceId) => {
          const t = tenants.get(id);
          const invoice = t ? approveJaggaerInvoice(ctx, t.jaggaer, invoiceId) : null;
          return invoice && { invoiceId: invoice.invoiceId, workflowStatus: invoice.workflowStatus, paymentStatus: invoice.paymentStatus, lastUpdate: invoice.lastUpdate };
        },
        setJiraRateLimit: (id, limit) => {
          const t = tenants.get(id);
          if (!t) return false;
          setJiraRateLimit(t.jira, limit ? { perMinute: limit.perMinute, reason: limit.reason as RateLimitReason | undefined } : null);
          ctx.changed();
          return true;
        },
        changed: ctx.changed,
      },
      { port: opts.port?.control },
    );
    apps.push(control.app);
    const controlFile = path.join(opts.dir, 'control.json');
    fs.writeFileSync(controlFile, JSON.stringify({ url: control.url, token: control.token }, null, 2), { mode: 0o600 });

    const primary = infos[[...tenants.keys()][0]!]!;
    return {
      tenant: primary.id,
      mongooseConfig: primary.mongooseConfig,
      endpoints: { ...endpoints, jaggaer: primary.endpoints.jaggaer, control: control.url },
      files: { ionapi: primary.files.ionapi, jaggaer: primary.files.jaggaer, state: stateFile, control: controlFile },
      tenants: infos,
      control: { url: control.url, token: control.token },
      seed: state.seed,
      scale: state.scale,
      origin: new Date(state.origin),
      clock,
      faults,
      stats,
      tokens,
      runtime: (id = primary.id) => {
        const t = tenants.get(id);
        if (!t) throw new Error(`unknown tenant ${id}`);
        return t;
      },
      addActivity,
      save: () => saver.flush(),
      close: async () => {
        await Promise.all([...tenants.values()].map((t) => flushJiraDeliveries(t.jira)));
        saver.flush();
        await Promise.all(apps.map((a) => a.close()));
      },
    };
  } catch (err) {
    await Promise.all(apps.map((a) => a.close()));
    throw err;
  }
}
