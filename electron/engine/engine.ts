import pkg from '../../package.json' with { type: 'json' };
import { flowNames, type FlowName, type Handlers, type RunSummary } from '../../shared/api';
import { parseIonapi, summarizeIonapi } from './connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from './connectors/connect';
import { diagnoseConnections } from './connectors/diagnose';
import { flowBodies } from './flows/registry';
import type { Logger } from './log';
import { listAudit } from './store/audit';
import { connectionConfig, systemNames, type SystemName } from './store/connections';
import type { KeyProvider } from './store/keys';
import { openProfile, type Profile } from './store/profile';
import { lastRun } from './store/runs';
import type { FlowProgress } from './sync/flow-context';
import { runFlow } from './sync/runner';

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

  runFlow(flow: FlowName): Promise<RunSummary> {
    return runFlow(this.profile, flow, flowBodies[flow], this.log, (p) => this.progressListeners.forEach((l) => l(p)));
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
    listAudit: async ({ limit, flow }) => ({ events: listAudit(this.profile.db, { limit, flow }) }),
    importIonapi: async ({ content }) => {
      const ionapi = parseIonapi(content);
      saveCloudSuiteConnection(this.profile, ionapi, null);
      this.log.info({ tenant: ionapi.tenant, kind: ionapi.kind }, '.ionapi file imported');
      return summarizeIonapi(ionapi);
    },
    runFlowNow: async ({ flow }) => this.runFlow(flow),
    testConnections: async ({ system }) => ({ connections: await diagnoseConnections(this.profile, system) }),
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
