import { z } from 'zod';
import { FlowCounts, FlowName, isMethodName, RunSummary, type MethodName } from '../shared/api';
import { ErrorInfo, type Result } from '../shared/errors';

// The messages between the desktop main process and the engine host (electron/engine-host.ts, a utilityProcess).
// Main starts the host with the database key in the first message — never in argv or the environment — then
// forwards API calls, each with an id the result carries back. The host reports its readiness, results, run
// progress and finished runs. Plain data only (structured clone), so this file runs and is tested under Node.

export const ToHost = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    dataDir: z.string().min(1),
    profile: z.string().min(1),
    /** The 32-byte database key, unwrapped by main (safeStorage or FERRY_DB_KEY). */
    key: z.instanceof(Uint8Array).refine((k) => k.length === 32, 'the database key must be 32 bytes'),
    /** Run the flows on their schedules (and the Jira webhook receiver) while the app is open. */
    schedules: z.boolean(),
    /** Why Settings may not move the data folder (FERRY_DATA_DIR chose it), or null. */
    dataDirLocked: z.string().nullable().optional(),
  }),
  z.object({ type: z.literal('call'), id: z.number().int().positive(), method: z.string().refine(isMethodName, 'no such method'), input: z.unknown() }),
  /** The tray's "Run now → All flows": every flow set up in the profile, one after the other. */
  z.object({ type: z.literal('runAll'), id: z.number().int().positive() }),
  z.object({ type: z.literal('stop') }),
]);
export type ToHost = z.infer<typeof ToHost>;

export const RunAllResult = z.object({
  runs: z.array(RunSummary),
  /** Flows left out because they are not set up in this profile, with the reason. */
  skipped: z.array(z.object({ flow: FlowName, reason: z.string() })),
});
export type RunAllResult = z.infer<typeof RunAllResult>;

export const HostProgress = z.object({ flow: FlowName, runId: z.string(), page: z.number().int(), processed: z.number().int(), counts: FlowCounts });
export type HostProgress = z.infer<typeof HostProgress>;

export type FromHost =
  | { type: 'ready'; pid: number }
  /** The engine could not open the profile (wrong key, damaged database…): restarting would not help. */
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'progress'; progress: HostProgress }
  | { type: 'run'; run: RunSummary }
  | { type: 'stopped' };

const FromHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('failed'), error: ErrorInfo }),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    result: z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorInfo })]),
  }),
  z.object({ type: z.literal('progress'), progress: HostProgress }),
  z.object({ type: z.literal('run'), run: RunSummary }),
  z.object({ type: z.literal('stopped') }),
]);

/** A message from the host, or null when it is not one (logged by the caller, never trusted). */
export function parseFromHost(data: unknown): FromHost | null {
  const r = FromHostSchema.safeParse(data);
  return r.success ? (r.data as FromHost) : null;
}

export const engineErrors = {
  restarted: { code: 'engine_restarted', message: 'Ferry’s sync engine restarted; try again.' },
  restarting: { code: 'engine_restarting', message: 'Ferry’s sync engine stopped unexpectedly and is restarting; try again in a moment.' },
  starting: { code: 'engine_starting', message: 'Ferry’s sync engine is still opening the database; try again in a moment.' },
  stopped: { code: 'engine_stopped', message: 'Ferry is closing.' },
} as const satisfies Record<string, ErrorInfo>;

interface Pending {
  resolve(result: Result<unknown>): void;
}

/**
 * Main's side of the conversation with one host process: numbers the calls, matches results to them, and on
 * a crash answers every call still waiting with "restarted; try again" instead of leaving the window hanging.
 */
export class HostCalls {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly send: (message: ToHost) => void) {}

  call(method: MethodName, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.send({ type: 'call', id, method, input });
    });
  }

  runAll(): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.send({ type: 'runAll', id });
    });
  }

  /** A result from the host; false when no call was waiting for it. */
  settle(id: number, result: Result<unknown>): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.resolve(result);
    return true;
  }

  /** The host is gone: every call still waiting gets `error`. */
  failAll(error: ErrorInfo): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.resolve({ ok: false, error });
  }

  get size(): number {
    return this.pending.size;
  }
}
