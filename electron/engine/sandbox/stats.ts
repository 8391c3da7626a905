import type { FastifyInstance } from 'fastify';
import type { SystemName } from './context';

/** Requests by system, endpoint (route template) and status: tests assert on them, the demo shows them. */
export class RequestStats {
  private counts = new Map<string, number>();

  install(app: FastifyInstance, systemOf: (path: string) => SystemName): void {
    // Counted when the connection's response closes, not in onResponse: a fault that cuts the connection
    // mid-answer skips onResponse, and those requests must still be counted (with the status they got).
    app.addHook('onRequest', async (req, reply) => {
      reply.raw.once('close', () => {
        const route = req.routeOptions.url ?? req.url.split('?')[0]!;
        const key = `${systemOf(req.url.split('?')[0]!)} ${req.method} ${route} ${reply.statusCode}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      });
    });
  }

  /** Count of requests matching every given part (system, method, a substring of the route, status). */
  count(filter: { system?: SystemName; method?: string; route?: string; status?: number } = {}): number {
    let n = 0;
    for (const [key, c] of this.counts) {
      const [system, method, route, status] = key.split(' ');
      if (filter.system && system !== filter.system) continue;
      if (filter.method && method !== filter.method) continue;
      if (filter.route && !route!.includes(filter.route)) continue;
      if (filter.status && Number(status) !== filter.status) continue;
      n += c;
    }
    return n;
  }

  snapshot(): { system: string; method: string; route: string; status: number; count: number }[] {
    return [...this.counts].map(([key, count]) => {
      const [system, method, route, status] = key.split(' ');
      return { system: system!, method: method!, route: route!, status: Number(status), count };
    });
  }

  reset(): void {
    this.counts.clear();
  }
}
