import { z } from 'zod';
import { auditBrowseShape, AuditExportFile, auditExportFormats, auditFilterShape, AuditSearchMode, AuditVerification, RecordLink, sinceBeforeUntil } from './audit';
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
  sourceSystem: z.string(),
  sourceKey: z.string(),
  targetSystem: z.string().nullable(),
  targetKey: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['ok', 'failed', 'skipped']),
  targetStatus: z.string().nullable(),
  reason: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** One audit event in full (Activity's detail panel): its redacted capture, its hash and where its records live. */
export const AuditEventDetail = AuditEvent.extend({
  /** The request/response as stored with the event: secrets were removed before it was written. */
  capture: z.unknown(),
  hash: z.string(),
  prevHash: z.string().nullable(),
  links: z.array(RecordLink),
});
export type AuditEventDetail = z.infer<typeof AuditEventDetail>;

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
  step: z.enum(['dns', 'connect', 'tls', 'sign-in', 'permission', 'product', 'contract']),
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

/** The Dashboard at a glance (read from the store only). */
export const Dashboard = z.object({
  flows: z.array(
    z.object({
      flow: FlowName,
      lastRun: RunSummary.nullable(),
      nextRunAt: z.string().nullable(),
      schedule: z.string(),
      failuresWaiting: z.number().int(),
      /** Why the flow is not set up in this profile, or null. */
      notReady: z.string().nullable(),
    }),
  ),
  /** The last 30 days, oldest first: records moved (created + updated) and records failed, per UTC day. */
  days: z.array(z.object({ day: z.string(), moved: z.number().int(), failed: z.number().int() })),
  webhooks: z.object({ mode: z.enum(['dynamic', 'admin', 'polling']), message: z.string(), active: z.number().int() }),
  /** The CloudSuite tenant's request budget per minute; null when Ferry learns it from 429s. */
  cloudSuiteBudgetPerMinute: z.number().int().nullable(),
  banners: z.array(z.object({ level: z.enum(['error', 'warning']), flow: FlowName.nullable(), message: z.string() })),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** A profile's folder name (TST, PRD): letters, digits, "-" and "_", as the engine stores it. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const ProfileName = z.string().trim().regex(PROFILE_NAME, 'Use letters, digits, "-" or "_" (up to 40), for example TST or PRD');

export const ProfileSummary = z.object({ name: z.string(), label: z.string().nullable() });
export type ProfileSummary = z.infer<typeof ProfileSummary>;

/** The Settings screen's view of the open profile (secrets and certificate contents are never part of it). */
export const AppSettings = z.object({
  profile: z.string(),
  /** What people call this profile ("Production", "Test"); shown in the window. Null until named. */
  profileLabel: z.string().nullable(),
  /** Every profile in this data folder (e.g. TST and PRD): one encrypted database each. */
  profiles: z.array(ProfileSummary),
  dataDir: z.string(),
  /** Why the data folder cannot be moved from the app (chosen by FERRY_DATA_DIR or --data-dir), or null. */
  dataDirLocked: z.string().nullable(),
  network: z.object({
    /** null: from the environment (HTTPS_PROXY); '': never a proxy. */
    proxyUrl: z.string().nullable(),
    noProxy: z.string().nullable(),
    /** The file name of the extra CA certificate(s) in use, or null. */
    caCertificate: z.string().nullable(),
    connectTimeoutSeconds: z.number().int(),
    requestTimeoutSeconds: z.number().int(),
  }),
  cloudSuiteConnected: z.boolean(),
  /** The tenant's ION request budget per minute; null: learnt from its 429 answers. */
  cloudSuiteRateLimitPerMinute: z.number().int().nullable(),
  auditRetentionDays: z.number().int(),
  jiraReceiverUrl: z.string().nullable(),
});
export type AppSettings = z.infer<typeof AppSettings>;

export const AppSettingsChange = z.object({
  profileLabel: z.string().trim().min(1, 'Give the profile a name, e.g. Production').max(60, 'A profile name of at most 60 characters').nullable().optional(),
  network: z
    .object({
      proxyUrl: z.string().max(300).nullable().optional(),
      noProxy: z.string().max(2000).nullable().optional(),
      /** The PEM text of the company's CA certificate(s); null removes it. */
      caCertificatePem: z.string().max(1024 * 1024 + 1).nullable().optional(),
      connectTimeoutSeconds: z.number().int().min(1).max(300).optional(),
      requestTimeoutSeconds: z.number().int().min(5).max(600).optional(),
    })
    .optional(),
  cloudSuiteRateLimitPerMinute: z.number().int().min(1).max(10_000).nullable().optional(),
  auditRetentionDays: z.number().int().min(30).max(36_500).optional(),
  jiraReceiverUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
});
export type AppSettingsChange = z.infer<typeof AppSettingsChange>;

/** A mapping that would let a failed record through: the kind, and what the failure says of either side. */
export const MappingFix = z.object({
  kind: MappingKindName,
  /** The CloudSuite side (the mapping's key), when the failure names it. */
  key: z.string().nullable(),
  /** The other side, as far as the failure names it (e.g. { account: "6101-OFFICE" }, "Net 90"), else null. */
  value: z.unknown(),
  /** In a sentence: "Map JAGGAER account 6101-OFFICE to a CloudSuite GL account." */
  what: z.string(),
});
export type MappingFix = z.infer<typeof MappingFix>;

/** Where a record refused for its closed fiscal period could post now (Needs attention → "Post in 2026-12"). */
export const PeriodFix = z.object({
  /** The record's own period, closed ("2026-10"), and its own date, which the record keeps. */
  closedPeriod: z.string(),
  recordDate: z.string(),
  /** The open period it would post in, and the accounting date it would carry there. */
  openPeriod: z.string(),
  postingDate: z.string(),
  /** In a sentence, for the button's confirmation. */
  what: z.string(),
});
export type PeriodFix = z.infer<typeof PeriodFix>;

/** Failures that went wrong the same way: one flow, one code, one reason once the record's own values are masked. */
export const FailureGroup = z.object({
  id: z.string(),
  flow: z.string(),
  code: z.string(),
  /** The validation rule the reason names ("account exists"), or null. */
  rule: z.string().nullable(),
  /** The reason with record-specific values masked ("GL account … is not in CloudSuite's chart of accounts"). */
  title: z.string(),
  count: z.number().int(),
  latestAt: z.string(),
  failures: z.array(FailureInfo.extend({ fix: MappingFix.nullable(), periodFix: PeriodFix.nullable() })),
});
export type FailureGroup = z.infer<typeof FailureGroup>;

/** What a retry of one failure would do now, found by replaying it as a dry run. */
export const ReplayPreview = z.object({
  failureId: z.number().int(),
  flow: z.string(),
  sourceKey: z.string(),
  /** The dry run (its preview-* events are in the audit trail). */
  runId: z.string(),
  outcome: z.enum(['would-send', 'would-fail', 'unchanged', 'skipped', 'nothing']),
  action: z.string().nullable(),
  targetKey: z.string().nullable(),
  reason: z.string().nullable(),
  /** The payload Ferry would send. */
  payload: z.unknown(),
});
export type ReplayPreview = z.infer<typeof ReplayPreview>;

export const MappingSuggestion = z.object({
  key: z.string().nullable(),
  value: z.unknown(),
  /** Seen in records waiting in the failures queue, or a CloudSuite code with no mapping in a kind this profile requires. */
  source: z.enum(['failure', 'reference']),
  label: z.string(),
  /** Failures waiting for it. */
  failures: z.number().int(),
});
export type MappingSuggestion = z.infer<typeof MappingSuggestion>;

/** A CloudSuite code a mapping key may name (vendor, GL account, cost center, project), from the reference cache. */
export const ReferenceChoice = z.object({ code: z.string(), name: z.string(), active: z.boolean() });
export type ReferenceChoice = z.infer<typeof ReferenceChoice>;

export const MappingReference = z.object({
  kind: MappingKindName,
  lists: z.array(
    z.object({
      list: z.enum(['vendor', 'gl-account', 'cost-center', 'project']),
      label: z.string(),
      readAt: z.string().nullable(),
      items: z.array(ReferenceChoice),
    }),
  ),
  /** Why stored rows cannot be checked (a list never read from CloudSuite), as a sentence saying what to do; null when they can. */
  missing: z.string().nullable(),
  /** Stored rows whose CloudSuite side cannot be used (unknown or inactive vendor, closed account, …). */
  problems: z.array(z.object({ key: z.string(), problem: z.string() })),
});
export type MappingReference = z.infer<typeof MappingReference>;

export const api = {
  status: { input: z.object({}), output: Status },
  listAudit: {
    input: z
      .object({
        limit: z.number().int().min(1).max(5000).default(500),
        flow: FlowName.optional(),
        ...auditFilterShape,
        ...auditBrowseShape,
      })
      .refine(sinceBeforeUntil, { message: 'the start (since) must be before the end (until)', path: ['until'] }),
    output: z.object({
      events: z.array(AuditEvent),
      /** beforeId for the next page; null at the start of the trail. */
      nextBeforeId: z.number().int().nullable(),
      /** The cut of the trail these events come from: pass it back as upToId while browsing it. */
      upToId: z.number().int().nullable(),
      /** All matching events (with withTotal). */
      total: z.number().int().nonnegative().optional(),
    }),
  },
  /** One event in full, for Activity's detail panel. */
  getAuditEvent: { input: z.object({ id: z.number().int().positive() }), output: AuditEventDetail },
  /** Every event of one record (source system and key) across runs, newest first. */
  recordTimeline: {
    input: z.object({
      sourceSystem: z.string().min(1).max(40),
      sourceKey: z.string().min(1).max(400),
      limit: z.number().int().min(1).max(1000).default(200),
      beforeId: z.number().int().positive().optional(),
    }),
    output: z.object({ events: z.array(AuditEvent), total: z.number().int().nonnegative(), nextBeforeId: z.number().int().nullable() }),
  },
  /** The matching events as a CSV or Excel file to download (up to auditDownloadLimits; the CLI has none). */
  exportAudit: {
    input: z
      .object({
        format: z.enum(auditExportFormats),
        flow: FlowName.optional(),
        ...auditFilterShape,
        searchMode: AuditSearchMode.optional(),
        upToId: z.number().int().positive().optional(),
      })
      .refine(sinceBeforeUntil, { message: 'the start (since) must be before the end (until)', path: ['until'] }),
    output: AuditExportFile,
  },
  verifyAudit: {
    // Without `full`, the check resumes from where the last passing one got to (seconds saved at a million events).
    input: z.object({ full: z.boolean().optional() }),
    output: AuditVerification,
  },
  importIonapi: {
    input: z.object({
      fileName: z.string().min(1).max(260),
      // A real .ionapi file is about 1 KB; anything near this cap is not one.
      content: z.string().max(256 * 1024, 'This file is far too large to be an .ionapi file.'),
      /** Chosen in the wizard once the file is in: the product and (Industrial) the Mongoose configuration. */
      product: z.enum(['industrial', 'm3']).optional(),
      mongooseConfig: z.string().min(1).max(100).optional(),
      company: z.number().int().min(0).max(999).optional(),
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
  /**
   * Posts a record refused for its closed fiscal period in the open period Ferry names (the choice is kept and
   * audited), then retries it. The period and date are worked out again here, not taken from the caller.
   */
  postInOpenPeriod: {
    input: z.object({ id: z.number().int().positive() }),
    output: z.object({ runs: z.array(RunSummary), replayed: z.number().int(), openPeriod: z.string(), postingDate: z.string() }),
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
  /** Open failures grouped by what went wrong, each with the mapping that would fix it where there is one. */
  listFailureGroups: {
    input: z.object({ flow: FlowName.optional(), limit: z.number().int().min(1).max(5000).default(1000) }),
    output: z.object({ groups: z.array(FailureGroup), total: z.number().int() }),
  },
  /** Replays one failure as a dry run and returns what a retry would send (nothing is written). */
  previewReplay: { input: z.object({ id: z.number().int().positive() }), output: ReplayPreview },
  /** Codes waiting for a mapping of this kind: from open failures, and CloudSuite codes with none where the kind is required. */
  mappingSuggestions: { input: z.object({ kind: MappingKindName }), output: z.object({ kind: MappingKindName, suggestions: z.array(MappingSuggestion) }) },
  /** The CloudSuite codes a key of this kind may name, and the stored rows that fail the check against them. */
  mappingReference: { input: z.object({ kind: MappingKindName }), output: MappingReference },
  /** The Jira flows' settings (README, "Jira flow settings"). */
  /** What po-to-jira's selection rule picks among the POs changed in the last `days` (read-only). */
  previewJiraSelection: {
    input: z.object({ days: z.number().int().min(1).max(3660).default(90), limit: z.number().int().min(0).max(5000).default(50) }),
    output: JiraSelectionPreview,
  },
  dashboard: { input: z.object({}), output: Dashboard },
  /** The Mongoose configurations the imported CloudSuite server offers (Industrial). */
  cloudSuiteConfigurations: { input: z.object({}), output: z.object({ configurations: z.array(z.string()) }) },
  /** Saves JAGGAER's address and credentials; the secrets go in and are never returned. */
  connectJaggaer: {
    input: z.object({
      baseUrl: z.url({ protocol: /^https?$/ }),
      clientId: z.string().min(1).max(200),
      identity: z.string().min(1).max(200),
      poImportPath: z.string().startsWith('/').max(300).optional(),
      clientSecret: z.string().min(1).max(2000),
      sharedSecret: z.string().min(1).max(2000),
    }),
    output: z.object({ saved: z.boolean() }),
  },
  /** Saves Jira's address and credentials (API token for Jira Cloud, personal access token for Data Center). */
  connectJira: {
    input: z.discriminatedUnion('auth', [
      z.object({ auth: z.literal('basic'), baseUrl: z.url({ protocol: /^https?$/ }), email: z.string().min(3).max(200), apiToken: z.string().min(1).max(2000) }),
      z.object({ auth: z.literal('pat'), baseUrl: z.url({ protocol: /^https?$/ }), personalAccessToken: z.string().min(1).max(2000) }),
    ]),
    output: z.object({ saved: z.boolean() }),
  },
  /** "Try with sample data": starts the built-in sandbox and connects this profile to it. */
  startSampleData: { input: z.object({}), output: z.object({ tenant: z.string(), created: z.boolean() }) },
  getSettings: { input: z.object({}), output: AppSettings },
  setSettings: { input: AppSettingsChange, output: AppSettings },
  /** A schedule in words before it is saved: what it means and its next runs (bad input → invalid_input). */
  explainSchedule: {
    input: z.object({ spec: z.string().max(200).optional(), preset: SchedulePreset.optional(), timeZone: z.string().max(64).nullable().optional() }),
    output: z.object({ description: z.string(), nextRun: z.string(), nextRuns: z.array(z.string()) }),
  },
  /** Runs in progress in this engine, with how far each has got (for progress bars). */
  runProgress: {
    input: z.object({}),
    output: z.object({
      running: z.array(
        z.object({
          flow: FlowName,
          runId: z.string(),
          page: z.number().int(),
          processed: z.number().int(),
          counts: FlowCounts,
          waiting: z.object({ system: z.string(), reason: z.enum(['rate-limit', 'retry']), ms: z.number() }).nullable(),
        }),
      ),
    }),
  },
  getJiraSettings: { input: z.object({}), output: JiraFlowSettings },
  /** A change to them: any sections and settings (statusNotes whole); checked as a whole, nothing stored when bad. */
  setJiraSettings: { input: z.record(z.string(), z.unknown()), output: JiraFlowSettings },
  webhookStatus: { input: z.object({}), output: WebhookReport },
  /**
   * Host methods: answered by the desktop shell or the browser host, which own the open profile and the data
   * folder (the engine has one profile open; these close it and open another).
   * Opens another profile of this data folder, or creates one (`create`); its schedules run from then on.
   */
  openProfile: {
    input: z.object({ name: ProfileName, create: z.boolean().default(false), label: z.string().trim().min(1).max(60).optional() }),
    output: z.object({ profile: z.string(), created: z.boolean() }),
  },
  /** Moves every profile to another folder (copied, checked byte for byte, then the old copy deleted). */
  moveDataFolder: {
    input: z.object({ to: z.string().trim().min(1, 'Give the full path of the new data folder').max(1000) }),
    output: z.object({ dataDir: z.string(), files: z.number().int(), bytes: z.number().int(), leftBehind: z.array(z.string()) }),
  },
} as const;

/** The methods a host answers itself (see openProfile); the engine answers all the others. */
export const hostMethodNames = ['openProfile', 'moveDataFolder'] as const;
export type HostMethodName = (typeof hostMethodNames)[number];
export type EngineHandlers = Omit<Handlers, HostMethodName>;
export type HostHandlers = Pick<Handlers, HostMethodName>;
export function isHostMethod(name: string): name is HostMethodName {
  return (hostMethodNames as readonly string[]).includes(name);
}

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
  handlers: Partial<Handlers>,
  method: MethodName,
  rawInput: unknown,
  onUnexpected?: (err: unknown) => void,
): Promise<Result<unknown>> {
  try {
    const spec = api[method];
    const input = spec.input.parse(rawInput ?? {});
    const handler = handlers[method] as ((input: unknown) => Promise<unknown>) | undefined;
    if (!handler) return { ok: false, error: { code: 'not_here', message: 'Only the Ferry app (desktop or "ferry serve") can do this; it is not available here.' } };
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
