import { FerryError } from '../../../shared/errors';
import type { Capture } from './capture';

/**
 * Every failure talking to an outside system. `retryable` says whether trying the same request again later
 * can succeed (quota, outage, timeout) or needs a person (bad data, refused credentials, an untrusted
 * certificate). `capture` is the redacted request/response for the audit trail.
 */
export class ConnectorError extends FerryError {
  readonly system: string;
  readonly retryable: boolean;
  readonly status: number | null;
  readonly capture: Capture | null;

  constructor(
    code: string,
    message: string,
    opts: { system: string; retryable: boolean; status?: number | null; capture?: Capture | null; detail?: unknown },
  ) {
    super(code, message, opts.detail);
    this.name = 'ConnectorError';
    this.system = opts.system;
    this.retryable = opts.retryable;
    this.status = opts.status ?? null;
    this.capture = opts.capture ?? null;
  }
}

export const isRetryable = (err: unknown): boolean => err instanceof ConnectorError && err.retryable;
