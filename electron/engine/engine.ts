import { cloudSuiteConfigurations, connectJaggaerFromUi, connectJiraFromUi, forgetSampleData, startSampleData } from './setup-api';
import path from 'node:path';
import { getAppSettings, setAppSettings } from './settings-api';
import { explainSchedule } from './sync/schedule-explain';
import { dashboard } from './dashboard';
import { previewJiraSelection } from './flows/jira-selection-preview';
import pkg from '../../package.json' with { type: 'json' };
import { flowNames, type EngineHandlers, type FlowName, type RunSummary } from '../../shared/api';
import { parseIonapi, summarizeIonapi } from './connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from './connectors/connect';
import { diagnoseConnections } from './connectors/diagnose';
import { flowModules } from './flows/registry';
import type { Logger } from './log';
import { browseAudit, recordTimeline } from './store/audit';
import { verifyAuditInSlices } from './store/audit-verify';
import { auditEventDetail, exportAuditFile } from './audit-api';
import { connectionConfig, systemNames, type SystemName } from './store/connections';
import type { KeyProvider } from './store/keys';
import { openProfile, type Profile } from './store/profile';
import { lastRun, listRuns } from './store/runs';
import { listSchedules, setSchedule } from './sync/schedule';
import type { FlowProgress } from './sync/flow-context';
import { ignore, replay } from './sync/failures-service';
import { runFlow, type FlowModule, type RunOptions } from './sync/runner';
import { listFailures } from './store/failures';
import { exportMappingsCsv, importMappingsCsv } from './mapping/csv';
import { setMappingChecked, unmappedRule } from './mapping/edit';
import { glSegments } from './mapping/kinds';
import { jiraFlowSettings, setJiraFlowSettings } from './mapping/jira-settings';
import { refreshReferenceNow } from './mapping/reference-refresh';
import { deleteMapping, lastMappingChange, listMappings, undoLastMappingChange } from './store/mappings';
import { webhookStatus } from './sync/webhook-keeper';
import { groupFailures } from './sync/failure-triage';
import { postInOpenPeriod } from './sync/posting-period';
import { isoDay } from './mapping/periods';
import { previewReplay } from './sync/replay-preview';
import { mappingReference, mappingSuggestions } from './mapping/suggestions';

export const FERRY_VERSION: string = pkg.version;

export interface EngineOptions {
  dataDir: string;
  profile?: string;
  keyProvider?: KeyProvider;
  log: Logger;
  /** Why this data folder may not be moved from the app (it was chosen by FERRY_DATA_DIR or --data-dir). */
  dataDirLocked?: string | null;
  /**
   * The clock business dates follow (today's period, which periods are over, webhook expiry): the wall clock
   * unless a host runs the engine against a sandbox world pinned to another day (tests, `ferry demo --origin`).
   */
  clock?: () => number;
}

/** The engine behind every host (desktop, CLI, browser host): one open profile and the API's handlers. */
export class Engine {
  private progressListeners = new Set<(p: FlowProgress) => void>();
  /** The latest progress of each run in flight, for hosts that poll (the browser host's progress bars). */
  private readonly inFlight = new Map<FlowName, FlowProgress>();

  private constructor(
    readonly profile: Profile,
    readonly log: Logger,
    readonly dataDirLocked: string | null,
    /** See EngineOptions.clock; a host that starts the sample-data sandbox may point it at the world's clock. */
    public clock: () => number,
  ) {}

  static async open(opts: EngineOptions): Promise<Engine> {
    return new Engine(await openProfile(opts.dataDir, opts.profile ?? 'default', opts.keyProvider), opts.log, opts.dataDirLocked ?? null, opts.clock ?? Date.now);
  }

  onProgress(listener: (p: FlowProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  runFlow(flow: FlowName, opts: RunOptions = {}): Promise<RunSummary> {
    const onProgress = (p: FlowProgress) => {
      if (p.processed >= 0 || !this.inFlight.has(flow)) this.inFlight.set(flow, p);
      else this.inFlight.set(flow, { ...this.inFlight.get(flow)!, waiting: p.waiting });
      this.progressListeners.forEach((l) => l(p));
    };
    const run = runFlow(this.profile, flow, flowModules[flow] as FlowModule, this.log, onProgress, { now: () => this.clock(), ...opts }).finally(() => {
      this.inFlight.delete(flow);
      this.runs.delete(run);
    });
    this.runs.add(run);
    return run;
  }

  private readonly runs = new Set<Promise<RunSummary>>();

  /** Resolves once no run of this engine is in progress (before a host closes it to open another profile). */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.allSettled([...this.runs]);
  }

  readonly handlers: EngineHandlers = {
    status: async () => ({
      profile: this.profile.name,
      version: FERRY_VERSION,
      connections: systemNames.map((system) => {
        const c = connectionConfig(this.profile.db, system);
        return {
          system,
          configured: c !== null,
          label: c ? connectionLabel(system, c.config) : 'Not set up',
          secrets: c?.hasSecrets ? ('set' as const) : ('not set' as const),
          updatedAt: c?.updatedAt ?? null,
        };
      }),
      flows: flowNames.map((flow) => ({ flow, lastRun: lastRun(this.profile.db, flow) })),
    }),
    listAudit: async (input) => browseAudit(this.profile.db, input),
    getAuditEvent: async ({ id }) => auditEventDetail(this.profile.db, id),
    recordTimeline: async (input) => recordTimeline(this.profile.db, input),
    exportAudit: async (input) => exportAuditFile(this.profile.db, input),
    // Hashing a large trail takes seconds: checked in slices so the app keeps answering meanwhile, and resumed
    // from the last passing check unless the whole trail is asked for.
    verifyAudit: async ({ full }) => verifyAuditInSlices(this.profile.db, { resume: full !== true }),
    importIonapi: async ({ content, product, mongooseConfig, company }) => {
      const ionapi = parseIonapi(content);
      saveCloudSuiteConnection(this.profile, ionapi, mongooseConfig ?? null, { ...(product ? { product } : {}), ...(company !== undefined ? { m3: { company } } : {}) });
      forgetSampleData(this);
      this.log.info({ tenant: ionapi.tenant, kind: ionapi.kind }, '.ionapi file imported');
      return summarizeIonapi(ionapi);
    },
    runFlowNow: async ({ flow, dryRun }) => this.runFlow(flow, { dryRun }),
    testConnections: async ({ system }) => ({ connections: await diagnoseConnections(this.profile, system) }),
    listSchedules: async () => ({ schedules: listSchedules(this.profile.db) }),
    setSchedule: async (input) => setSchedule(this.profile.db, input),
    listRuns: async ({ flow, limit }) => ({ runs: listRuns(this.profile.db, { flows: flow ? [flow] : flowNames, limit }) }),
    listFailures: async ({ flow, includeClosed, limit }) => ({
      failures: listFailures(this.profile.db, { flow, limit, states: includeClosed ? ['retrying', 'open', 'resolved', 'replayed', 'ignored'] : undefined }),
    }),
    replayFailures: async (input) => replay(this.profile, (flow, opts) => this.runFlow(flow, opts), input),
    postInOpenPeriod: async ({ id }) => postInOpenPeriod(this.profile, (flow, opts) => this.runFlow(flow, opts), id, this.clock()),
    ignoreFailure: async ({ id, reason }) => ignore(this.profile, id, reason),
    refreshReference: async () => refreshReferenceNow(this.profile, this.log),
    listMappings: async ({ kind }) => ({
      kind,
      mappings: listMappings(this.profile.db, kind),
      unmapped: unmappedRule(this.profile.db, kind),
      segments: glSegments(this.profile.db),
      lastChange: lastMappingChange(this.profile.db, kind),
    }),
    setMapping: async ({ kind, key, value, note }) => setMappingChecked(this.profile.db, kind, key, value, note),
    deleteMapping: async ({ kind, key }) => ({ deleted: deleteMapping(this.profile.db, kind, key) }),
    importMappings: async ({ kind, csv, partial }) => importMappingsCsv(this.profile.db, kind, csv, { partial }),
    exportMappings: async ({ kind }) => ({ csv: exportMappingsCsv(this.profile.db, kind) }),
    undoMapping: async ({ kind }) => ({ undone: undoLastMappingChange(this.profile.db, kind) }),
    listFailureGroups: async ({ flow, limit }) => {
      const failures = listFailures(this.profile.db, { flow, limit });
      return { groups: groupFailures(failures, glSegments(this.profile.db), isoDay(this.clock())), total: failures.length };
    },
    previewReplay: async ({ id }) => previewReplay(this.profile, (flow, opts) => this.runFlow(flow, opts), id),
    mappingSuggestions: async ({ kind }) => ({ kind, suggestions: mappingSuggestions(this.profile.db, kind) }),
    mappingReference: async ({ kind }) => mappingReference(this.profile.db, kind),
    webhookStatus: async () => webhookStatus(this.profile.db, this.clock()),
    previewJiraSelection: async (input) => previewJiraSelection(this.profile, input, this.clock()),
    dashboard: async () => dashboard(this.profile, new Date(), this.clock()),
    getSettings: async () => getAppSettings(this.profile, this.dataDir, this.dataDirLocked),
    setSettings: async (change) => setAppSettings(this.profile, this.dataDir, change, this.dataDirLocked),
    cloudSuiteConfigurations: async () => cloudSuiteConfigurations(this),
    connectJaggaer: async (input) => {
      connectJaggaerFromUi(this, input);
      return { saved: true };
    },
    connectJira: async (input) => {
      connectJiraFromUi(this, input);
      return { saved: true };
    },
    startSampleData: async () => startSampleData(this),
    explainSchedule: async ({ spec, preset, timeZone }) => explainSchedule(preset ?? spec ?? '', timeZone ?? null),
    runProgress: async () => ({
      running: [...this.inFlight.values()].map((p) => ({ flow: p.flow, runId: p.runId, page: p.page, processed: Math.max(0, p.processed), counts: p.counts, waiting: p.waiting ?? null })),
    }),
    getJiraSettings: async () => jiraFlowSettings(this.profile.db),
    setJiraSettings: async (patch) => setJiraFlowSettings(this.profile.db, patch),
  };

  private readonly closers: (() => Promise<void> | void)[] = [];

  /** Something that lives as long as the engine (e.g. the sample-data sandbox) and stops with it. */
  onClose(fn: () => Promise<void> | void): void {
    this.closers.push(fn);
  }

  /** The data folder: the profile folder's grandparent (<data-dir>/profiles/<name>). */
  get dataDir(): string {
    return path.dirname(path.dirname(this.profile.dir));
  }

  private closed = false;

  /** Closes the profile's database (once: a host that switched profiles and the CLI wrapper may both ask). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closers.splice(0)) void fn();
    this.profile.close();
  }

  /** The same, waiting for what lives with the engine (the sample-data sandbox) to stop: before another opens. */
  async closeAndWait(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.closers.splice(0).map((fn) => fn()));
    this.profile.close();
  }
}

export function connectionLabel(system: SystemName, config: unknown): string {
  const c = config as {
    ionapi?: { tenant?: string; appName?: string };
    product?: string;
    mongooseConfig?: string | null;
    m3?: { company?: number };
    baseUrl?: string;
    auth?: string;
    email?: string;
  };
  if (system === 'cloudsuite') {
    const where = c.product === 'm3' ? `M3 company ${c.m3?.company ?? 100}` : `Industrial${c.mongooseConfig ? ` ${c.mongooseConfig}` : ' (no configuration chosen)'}`;
    return `${c.ionapi?.tenant ?? '?'} · ${c.ionapi?.appName ?? '?'} · ${where}`;
  }
  if (system === 'jira') {
    const how = c.auth === 'basic' ? `API token for ${c.email ?? '?'}` : c.auth === 'pat' ? 'personal access token' : 'OAuth 2.0 app';
    return `${c.baseUrl ?? '?'} · ${how}`;
  }
  return c.baseUrl ?? '?';
}
