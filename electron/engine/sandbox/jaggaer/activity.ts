import type { SandboxContext, SandboxTenant } from '../context';
import { buildEnv, buildInvoice } from './invoice-build';
import { pick } from './rand';
import type { JaggaerInvoice, JaggaerState } from './state';
import type { TenantPo } from './tenant';

// "Time passes in JAGGAER": suppliers send new invoices against POs JAGGAER holds — the ones Ferry imported
// if there are any, else the tenant's — dated today with lastUpdate = now, so an incremental read picks
// them up. Each call draws from its own stream (named by the next invoice id), so repeated calls differ
// but replay identically from the same state.

export function addJaggaerActivity(ctx: SandboxContext, tenant: SandboxTenant, state: JaggaerState, what: { invoices?: number }): void {
  const n = Math.max(0, Math.floor(what.invoices ?? 0));
  if (n === 0) return;
  const env = buildEnv(ctx, tenant, state, `jaggaer.activity.${state.next.invoiceId}`);
  const imported = Object.values(state.purchaseOrders)
    .filter((p) => p.status === 'Approved')
    .map((p) => env.poByNumber.get(p.poNumber))
    .filter((p): p is TenantPo => !!p && p.lines.length > 0 && !!p.vendNum && env.supplierByExt.has(p.vendNum));
  const candidates = imported.length ? imported : env.pos;
  const now = ctx.clock.now('jaggaer');
  for (let i = 0; i < n; i++) {
    const po = candidates.length ? pick(env.r, candidates) : undefined;
    const kind = po ? (env.r() < 0.85 ? 'match' : 'mismatch') : 'non-po';
    state.invoices.push(buildInvoice(env, kind, { mode: 'now', now }, po ? { po } : {}));
  }
  ctx.changed();
}

/**
 * An AP clerk completes an invoice's workflow in JAGGAER: approved and released for payment, with lastUpdate
 * now, so an incremental read picks it up. Null when the tenant has no such invoice.
 */
export function approveJaggaerInvoice(ctx: SandboxContext, state: JaggaerState, invoiceId: number): JaggaerInvoice | null {
  const invoice = state.invoices.find((i) => i.invoiceId === invoiceId);
  if (!invoice) return null;
  invoice.workflowStatus = 'Completed';
  invoice.paymentStatus = 'Payable';
  invoice.lastUpdate = new Date(ctx.clock.now('jaggaer')).toISOString();
  ctx.changed();
  return invoice;
}
