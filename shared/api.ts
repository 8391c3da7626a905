import { z } from 'zod';
import { toErrorInfo, type Result } from './errors';

// The contract between the UI and the engine. Every method is declared once here; the IPC adapter
// (electron/preload.ts + electron/ipc.ts), the HTTP adapter (electron/engine/serve.ts) and the renderer's
// client are all generated from this table.

export const flowNames = ['po-to-jaggaer'] as const;
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

export const Status = z.object({
  profile: z.string(),
  version: z.string(),
  connections: z.array(ConnectionStatus),
  flows: z.array(z.object({ flow: FlowName, lastRun: RunSummary.nullable() })),
});
export type Status = z.infer<typeof Status>;

export const api = {
  status: { input: z.object({}), output: Status },
  listAudit: {
    input: z.object({
      limit: z.number().int().min(1).max(5000).default(500),
      flow: FlowName.optional(),
    }),
    output: z.object({ events: z.array(AuditEvent) }),
  },
  importIonapi: {
    input: z.object({
      fileName: z.string().min(1).max(260),
      // A real .ionapi file is about 1 KB; anything near this cap is not one.
      content: z.string().max(256 * 1024, 'This file is far too large to be an .ionapi file.'),
    }),
    output: IonapiSummary,
  },
  runFlowNow: { input: z.object({ flow: FlowName }), output: RunSummary },
  testConnections: {
    input: z.object({ system: ConnectionSystem.optional() }),
    output: z.object({ connections: z.array(ConnectionDiagnosis) }),
  },
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
