import { z } from 'zod';

// Errors cross every boundary (IPC, HTTP, CLI) as data. `message` is a sentence a finance person can act on;
// `detail` is for the log and the IT person, and never holds a secret.
export const ErrorInfo = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export class FerryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'FerryError';
  }

  toInfo(): ErrorInfo {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof FerryError) return err.toInfo();
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
    return { code: 'invalid_input', message: `The request was not valid${where}: ${first?.message ?? 'unknown problem'}.` };
  }
  return { code: 'internal', message: 'Something went wrong inside Ferry. The details are in the log file.' };
}
