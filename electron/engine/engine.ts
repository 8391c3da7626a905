import { previewJiraSelection } from './flows/jira-selection-preview';
import pkg from '../../package.json' with { type: 'json' };
import { flowNames, type FlowName, type Handlers, type RunSummary } from '../../shared/api';
import { parseIonapi, summarizeIonapi } from './connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from './connectors/connect';
import { diagnoseConnections } from './connectors/diagnose';
import { flowModules } from './flows/registry';
import type { Logger } from './log';
import { listAudit } from './store/audit';
import { verifyAudit } from './store/audit-verify';
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

export const FERRY_VERSION: string = pkg.version;

export interface EngineOptions {
  dataDir: string;
  profile?: string;
  keyProvider?: KeyProvider;
  log: Logger;
}

/** The engine behind every host (desktop, CLI, browser host): one open profile and the API's handlers. */
export class Engine {
  private progressListeners = new Set<(p: FlowProgress) => void>();

  private constructor(
    readonly profile: Profile,
    readonly log: Logger,
  ) {}

  static async open(opts: EngineOptions): Promise<Engine> {
    return new Engine(await openProfile(opts.dataDir, opts.profile ?? 'default', opts.keyProvider), opts.log);
  }

  onProgress(listener: (p: FlowProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  runFlow(flow: FlowName, opts: RunOptions = {}): Promise<RunSummary> {
    return runFlow(this.profile, flow, flowModules[flow] as FlowModule, this.log, (p) => this.progressListeners.forEach((l) => l(p)), opts);
  }

  readonly handlers: Handlers = {
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
    listAudit: async ({ limit, ...filters }) => ({ events: listAudit(this.profile.db, { limit, ...filters }) }),
    verifyAudit: async () => verifyAudit(this.profile.db),
    importIonapi: async ({ content }) => {
      const ionapi = parseIonapi(content);
      saveCloudSuiteConnection(this.profile, ionapi, null);
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
    webhookStatus: async () => webhookStatus(this.profile.db),
    previewJiraSelection: async (input) => previewJiraSelection(this.profile, input),
    getJiraSettings: async () => jiraFlowSettings(this.profile.db),
    setJiraSettings: async (patch) => setJiraFlowSettings(this.profile.db, patch),
  };

  close(): void {
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
