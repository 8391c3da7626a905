import { z } from 'zod';
import { auditFilterShape, AuditVerification, sinceBeforeUntil } from './audit';
import { toErrorInfo, type Result } from './errors';
import { JiraFlowSettings } from './jira-settings';

// The contract between the UI and the engine. Every method is declared once here; the IPC adapter
// (electron/preload.ts + electron/ipc.ts), the HTTP adapter (electron/engine/serve.ts) and the renderer's
// client are all generated from this table.

export const flowNames = ['po-to-jaggaer', 'invoice-to-cloudsuite', 'invoice-to-jaggaer', 'supplier-sync', 'po-to-jira', 'worklog-to-gl', 'jira-webhooks'] as const;
export const FlowName = z.enum(flowNames);
export type FlowName = z.infer<typeof FlowName>;

export const FlowCounts = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type FlowCounts = z.infer<typeof FlowCounts>;

export const JiraSelectionPreview = z.object({
  since: z.string(),
  /** POs read (changed since `since`). */
  read: z.number().int(),
  selected: z.number().int(),
  /** Selected, but no jira-project mapping covers them: they would wait in the failures queue. */
  unmapped: z.number().int(),
  /** Left out, counted by the rule's reason. */
  leftOut: z.record(z.string(), z.number().int()),
  sample: z.array(
    z.object({
      po: z.string(),
      project: z.string().nullable(),
      type: z.string().nullable(),
      status: z.string(),
      jiraProject: z.string().nullable(),
      issueType: z.string().nullable(),
      jiraKey: z.string().nullable(),
    }),
  ),
  requests: z.number().int(),
});
export type JiraSelectionPreview = z.infer<typeof JiraSelectionPreview>;

export const RunSummary = z.object({
  runId: z.string(),
  flow: FlowName,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(['running', 'ok', 'partial', 'failed']),
  counts: FlowCounts,
  requests: z.number().int().nonnegative(),
  waitedMs: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  runId: z.string().nullable(),
  flow: z.string(),
  recordType: z.string(),
  sourceKey: z.string(),
  targetKey: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['ok', 'failed', 'skipped']),
  targetStatus: z.string().nullable(),
  reason: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const IonapiSummary = z.object({
  tenant: z.string(),
  appName: z.string(),
  kind: z.enum(['backend-service', 'client-credentials']),
  grantType: z.enum(['password', 'client_credentials']),
  tokenUrl: z.string(),
  revokeUrl: z.string().nullable(),
  apiBase: z.string(),
  environment: z.string().nullable(),
  secretsPresent: z.object({
    clientSecret: z.boolean(),
    serviceAccountAccessKey: z.boolean(),
    serviceAccountSecretKey: z.boolean(),
  }),
});
export type IonapiSummary = z.infer<typeof IonapiSummary>;

export const ConnectionSystem = z.enum(['cloudsuite', 'jaggaer', 'jira']);
export type ConnectionSystem = z.infer<typeof ConnectionSystem>;

export const ConnectionStatus = z.object({
  system: ConnectionSystem,
  configured: z.boolean(),
  label: z.string(),
  secrets: z.enum(['set', 'not set']),
  updatedAt: z.string().nullable(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** One step of "Test connection": what was checked, how it went, and what to do when it failed. */
export const DiagnosisStep = z.object({
  step: z.enum(['dns', 'connect', 'tls', 'sign-in', 'permission', 'product']),
  status: z.enum(['ok', 'failed', 'skipped']),
  detail: z.string(),
  fix: z.string().nullable(),
  ms: z.number().int().nonnegative(),
});
export type DiagnosisStep = z.infer<typeof DiagnosisStep>;

export const ConnectionDiagnosis = z.object({
  system: ConnectionSystem,
  configured: z.boolean(),
  ok: z.boolean(),
  target: z.string().nullable(),
  steps: z.array(DiagnosisStep),
});
export type ConnectionDiagnosis = z.infer<typeof ConnectionDiagnosis>;

/** A record waiting in the failures queue, as a person sees it. */
export const FailureInfo = z.object({
  id: z.number().int(),
  flow: z.string(),
  recordType: z.string().nullable(),
  sourceKey: z.string(),
  code: z.string(),
  reason: z.string(),
  attempts: z.number().int(),
  state: z.enum(['retrying', 'open', 'resolved', 'replayed', 'ignored']),
  nextAttemptAt: z.string().nullable(),
  replayOf: z.number().int().nullable(),
  resolution: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  payload: z.unknown(),
});
export type FailureInfo = z.infer<typeof FailureInfo>;

export const Status = z.object({
  profile: z.string(),
  version: z.string(),
  connections: z.array(ConnectionStatus),
  flows: z.array(z.object({ flow: FlowName, lastRun: RunSummary.nullable() })),
});
export type Status = z.infer<typeof Status>;

/** Presets that fit a procurement cycle (their cron expressions live in the engine's sync/schedule-spec.ts). */
export const schedulePresets = ['business-hours', 'hourly', 'nightly'] as const;
export const SchedulePreset = z.enum(schedulePresets);
export type SchedulePreset = z.infer<typeof SchedulePreset>;

/** When a flow runs by itself: one row per flow, `scheduled: false` when it has none yet. */
export const Schedule = z.object({
  flow: FlowName,
  scheduled: z.boolean(),
  spec: z.string().nullable(), // a cron expression or "every 15m", without the time zone
  preset: SchedulePreset.nullable(),
  timeZone: z.string().nullable(), // null: the workstation's
  description: z.string(), // "business-hours (every 15 min, 07:00–18:59 Mon–Fri)"
  paused: z.boolean(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  nextRun: z.string(), // "next run Mon 24 Nov 07:00 (in 2 h 14 min)", or why there is none
  lastRun: RunSummary.nullable(),
});
export type Schedule = z.infer<typeof Schedule>;

export const RunListItem = RunSummary.extend({ trigger: z.string() });
export type RunListItem = z.infer<typeof RunListItem>;

/** The mapping tables finance staff fill (see README, "Mappings"). */
export const mappingKindNames = ['supplier', 'gl-account', 'cost-center', 'site', 'payment-terms', 'jira-project', 'labour-rate', 'jira-role'] as const;
export const MappingKindName = z.enum(mappingKindNames);
export type MappingKindName = z.infer<typeof MappingKindName>;

export const MappingEntry = z.object({
  kind: MappingKindName,
  /** The source side: vendor number, "account|cost center" (or "account|*"), cost center, site, terms code; project number / type:R / * (jira-project), scope[@yyyy-mm-dd] (labour-rate), Jira account id (jira-role). */
  key: z.string(),
  /** The target side, shaped by the kind (e.g. { supplierNumber, bravoId? }, segment name → value, "Net 30", { project, issueType, projectIssueType? }, { rate }, "Engineer"). */
  value: z.unknown(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export type MappingEntry = z.infer<typeof MappingEntry>;

/** The change "Undo" takes back: a single set or delete, or a whole import. */
export const MappingChange = z.object({ kind: MappingKindName, action: z.enum(['set', 'delete', 'import']), at: z.string(), count: z.number().int() });
export type MappingChange = z.infer<typeof MappingChange>;

export const MappingImportRow = z.object({ row: z.number().int(), key: z.string().nullable(), ok: z.boolean(), reason: z.string().nullable() });
export type MappingImportRow = z.infer<typeof MappingImportRow>;

export const ReferenceRefreshResult = z.object({
  refreshedAt: z.string(),
  counts: z.record(z.string(), z.number().int()),
  skipped: z.array(z.string()),
  failed: z.array(z.object({ kind: z.string(), code: z.string(), message: z.string() })),
  requests: z.number().int(),
});
export type ReferenceRefreshResult = z.infer<typeof ReferenceRefreshResult>;

/** Jira webhooks (flow jira-webhooks): what is registered, how deliveries fared, and whether Ferry receives or polls. */
export const webhookCounterNames = ['accepted', 'duplicate', 'bad_signature', 'unknown_hook', 'malformed'] as const;
const count = z.number().int().nonnegative();
export const WebhookCounters = z.object({ accepted: count, duplicate: count, bad_signature: count, unknown_hook: count, malformed: count });
export type WebhookCounters = z.infer<typeof WebhookCounters>;
export const WebhookView = z.object({
  id: z.string(),
  kind: z.enum(['dynamic', 'admin']),
  /** The delivery address with the hook token masked. */
  url: z.string(),
  jql: z.string(),
  events: z.array(z.string()),
  expiresAt: z.string().nullable(),
  daysLeft: z.number().int().nullable(),
  state: z.enum(['active', 'expired', 'gone']),
  lastError: z.string().nullable(),
});
export type WebhookView = z.infer<typeof WebhookView>;
export const WebhookReport = z.object({
  mode: z.enum(['dynamic', 'admin', 'polling']),
  webhooks: z.array(WebhookView),
  counters: WebhookCounters,
  message: z.string(),
});
export type WebhookReport = z.infer<typeof WebhookReport>;

export const api = {
  status: { input: z.object({}), output: Status },
  listAudit: {
    input: z
      .object({
        limit: z.number().int().min(1).max(5000).default(500),
        flow: FlowName.optional(),
        ...auditFilterShape,
      })
      .refine(sinceBeforeUntil, { message: 'the start (since) must be before the end (until)', path: ['until'] }),
    output: z.object({ events: z.array(AuditEvent) }),
  },
  verifyAudit: { input: z.object({}), output: AuditVerification },
  importIonapi: {
    input: z.object({
      fileName: z.string().min(1).max(260),
      // A real .ionapi file is about 1 KB; anything near this cap is not one.
      content: z.string().max(256 * 1024, 'This file is far too large to be an .ionapi file.'),
    }),
    output: IonapiSummary,
  },
  runFlowNow: { input: z.object({ flow: FlowName, dryRun: z.boolean().default(false) }), output: RunSummary },
  listFailures: {
    input: z.object({ flow: FlowName.optional(), includeClosed: z.boolean().default(false), limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.object({ failures: z.array(FailureInfo) }),
  },
  replayFailures: {
    input: z
      .object({ ids: z.array(z.number().int().positive()).max(5000).optional(), all: z.boolean().default(false), flow: FlowName.optional() })
      .refine((v) => (v.ids && v.ids.length > 0) || v.all, 'name the failures to replay, or ask for all'),
    output: z.object({ runs: z.array(RunSummary), replayed: z.number().int() }),
  },
  ignoreFailure: {
    input: z.object({ id: z.number().int().positive(), reason: z.string().trim().min(3, 'say why it is ignored (at least 3 characters)').max(1000) }),
    output: FailureInfo,
  },
  testConnections: {
    input: z.object({ system: ConnectionSystem.optional() }),
    output: z.object({ connections: z.array(ConnectionDiagnosis) }),
  },
  listSchedules: { input: z.object({}), output: z.object({ schedules: z.array(Schedule) }) },
  setSchedule: {
    input: z.object({
      flow: FlowName,
      spec: z.string().max(200).optional(),
      preset: SchedulePreset.optional(),
      timeZone: z.string().max(64).nullable().optional(),
      paused: z.boolean().optional(),
    }),
    output: Schedule,
  },
  listRuns: {
    input: z.object({ flow: FlowName.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
    output: z.object({ runs: z.array(RunListItem) }),
  },
  refreshReference: { input: z.object({}), output: ReferenceRefreshResult },
  listMappings: {
    input: z.object({ kind: MappingKindName }),
    output: z.object({
      kind: MappingKindName,
      mappings: z.array(MappingEntry),
      /** What happens to an unmapped code of this kind, in a sentence. */
      unmapped: z.string(),
      /** This profile's JAGGAER GL segment names (setting jaggaer.glSegments). */
      segments: z.array(z.string()),
      lastChange: MappingChange.nullable(),
    }),
  },
  setMapping: {
    input: z.object({ kind: MappingKindName, key: z.string().max(200), value: z.unknown(), note: z.string().max(500).nullable().optional() }),
    output: MappingEntry,
  },
  deleteMapping: { input: z.object({ kind: MappingKindName, key: z.string().max(200) }), output: z.object({ deleted: z.boolean() }) },
  importMappings: {
    input: z.object({ kind: MappingKindName, csv: z.string().max(10 * 1024 * 1024, 'This file is far too large to be a mapping table.'), partial: z.boolean().default(false) }),
    output: z.object({ kind: MappingKindName, rows: z.array(MappingImportRow), stored: z.number().int(), bad: z.number().int(), partial: z.boolean() }),
  },
  exportMappings: { input: z.object({ kind: MappingKindName }), output: z.object({ csv: z.string() }) },
  undoMapping: { input: z.object({ kind: MappingKindName }), output: z.object({ undone: MappingChange.nullable() }) },
  /** The Jira flows' settings (README, "Jira flow settings"). */
  /** What po-to-jira's selection rule picks among the POs changed in the last `days` (read-only). */
  previewJiraSelection: {
    input: z.object({ days: z.number().int().min(1).max(3660).default(90), limit: z.number().int().min(0).max(5000).default(50) }),
    output: JiraSelectionPreview,
  },
  getJiraSettings: { input: z.object({}), output: JiraFlowSettings },
  /** A change to them: any sections and settings (statusNotes whole); checked as a whole, nothing stored when bad. */
  setJiraSettings: { input: z.record(z.string(), z.unknown()), output: JiraFlowSettings },
  webhookStatus: { input: z.object({}), output: WebhookReport },
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Api[M]['output']>;

/** What the renderer sees: every method returns a Result, never throws across the boundary. */
export type FerryApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

/** What the engine implements: plain async functions over validated input. */
export type Handlers = { [M in MethodName]: (input: z.output<Api[M]['input']>) => Promise<MethodOutput<M>> };

export const methodNames = Object.keys(api) as MethodName[];
export const ipcChannel = (method: MethodName): string => `ferry:${method}`;
export const httpPath = (method: MethodName): string => `/api/${method}`;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/**
 * The one place a call crosses into the engine: validate the input, run the handler, validate the output,
 * and turn any error into data. Both adapters call this, so they cannot drift apart.
 */
export async function dispatch(
  handlers: Handlers,
  method: MethodName,
  rawInput: unknown,
  onUnexpected?: (err: unknown) => void,
): Promise<Result<unknown>> {
  try {
    const spec = api[method];
    const input = spec.input.parse(rawInput ?? {});
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    const output = spec.output.parse(await handler(input));
    return { ok: true, value: output };
  } catch (err) {
    const info = toErrorInfo(err);
    if (info.code === 'internal') onUnexpected?.(err);
    return { ok: false, error: info };
  }
}

/** Builds a typed client over any transport that can carry one call. */
export function createClient(call: (method: MethodName, input: unknown) => Promise<Result<unknown>>): FerryApi {
  const client = {} as Record<MethodName, (input: unknown) => Promise<Result<unknown>>>;
  for (const method of methodNames) client[method] = (input) => call(method, input);
  return client as unknown as FerryApi;
}
