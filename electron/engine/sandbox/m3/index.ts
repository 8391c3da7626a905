import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import type { IdoTables } from '../ido-tables';
import type { TenantConfig } from '../tenants';
import { registerM3Routes } from './routes';
import { M3State } from './state';
import type { TxContext } from './types';

// CloudSuite M3 (m3api-rest v2) behind the ION gateway: the MI programs and transactions of
// contracts/cloudsuite-m3.json, no more, as a second view over the tenant data the IDO simulator serves
// (field mapping: mapping.ts; the ledger: gl-view.ts and the shared books).

export { PROGRAMS, DEFAULT_MAXRECS } from './execute';
export { M3_COMPANY, M3_DIVISION, type M3Record } from './types';

/**
 * Registers the M3 routes on the gateway app. `tenants` gives the runtime of a tenant (its config and rows);
 * the gateway's onRequest hook must already guard the app (tenant, bearer token, quota).
 */
export function registerM3(
  app: FastifyInstance,
  tenants: (id: string) => { config: TenantConfig; ido: IdoTables } | undefined,
  ctx: SandboxContext,
): void {
  // Transient batches per tenant; keyed by the IdoTables too, so a tenant whose rows were replaced starts afresh.
  const states = new Map<string, { ido: IdoTables; state: M3State }>();
  registerM3Routes(app, (id): TxContext | undefined => {
    const t = tenants(id);
    if (!t) return undefined;
    let entry = states.get(id);
    if (!entry || entry.ido !== t.ido) {
      entry = { ido: t.ido, state: new M3State(t.ido) };
      states.set(id, entry);
    }
    return { ido: t.ido, clock: ctx.clock, state: entry.state };
  });
}
