import { Http, type HttpOptions, type HttpStats, type Wait } from './client';
import type { NetworkSettings } from './network';
import { limiterFor } from './rate-limit';
import { makeRedactor } from './redact';

/**
 * The HTTP clients of one run (or one command): each system gets its own client, all share the run's
 * network settings and wait reporting, and their request counts add up for the run summary.
 */
export class HttpPool {
  private readonly clients: Http[] = [];
  private readonly secrets: string[] = [];

  constructor(
    private readonly base: {
      network?: NetworkSettings;
      requestTimeoutMs?: number;
      retry?: HttpOptions['retry'];
      onWait?: (w: Wait & { system: string }) => void;
    } = {},
  ) {}

  /**
   * A client for one system. `limiterKey` names the shared request budget (a tenant or a host);
   * `perMinute` is its configured limit, or null to adapt. `secrets` are redacted from every capture of
   * every client of the pool, so one system's capture can never carry another's secret either.
   */
  create(o: { system: string; limiterKey?: string; perMinute?: number | null; secrets?: string[] }): Http {
    this.secrets.push(...(o.secrets ?? []));
    const known = this.secrets;
    const http = new Http({
      system: o.system,
      limiter: o.limiterKey ? limiterFor(o.limiterKey, o.perMinute ?? null) : undefined,
      network: this.base.network,
      requestTimeoutMs: this.base.requestTimeoutMs,
      retry: this.base.retry,
      redact: (text) => makeRedactor(known)(text),
      onWait: (w) => this.base.onWait?.({ ...w, system: o.system }),
    });
    this.clients.push(http);
    return http;
  }

  totals(): HttpStats {
    return this.clients.reduce(
      (t, c) => ({ requests: t.requests + c.stats.requests, retries: t.retries + c.stats.retries, throttled: t.throttled + c.stats.throttled, waitedMs: t.waitedMs + c.stats.waitedMs }),
      { requests: 0, retries: 0, throttled: 0, waitedMs: 0 },
    );
  }
}
