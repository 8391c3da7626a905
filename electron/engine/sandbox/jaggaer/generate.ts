import crypto from 'node:crypto';
import type { SandboxContext, SandboxTenant } from '../context';
import { buildEnv, buildInvoice, buildLateInvoice, kindFor } from './invoice-build';
import { startOfDay } from './rand';
import type { JaggaerState } from './state';
import { generateSuppliers } from './suppliers';
import { readVendors } from './tenant';

// A fresh JAGGAER world for a tenant. Same seed, origin and tenant rows → the same suppliers and invoices
// (generated timestamps hang off midnight UTC of the world's origin, never off the clock's "now"). The
// secrets are the exception: they are random, because the default seed is public and a sandbox secret
// should still not be derivable from it.

export function defaultConfig(): JaggaerState['config'] {
  return {
    pageSize: { companyProfiles: 100, invoices: 100 },
    // One custom field per chart-of-accounts segment; the names are the customer's, so they live in state.
    glSegments: [
      { internalName: 'account', source: 'account' },
      { internalName: 'costCenter', source: 'unit1' },
    ],
    businessUnit: '0001',
    poImportRequiresKnownSupplier: false,
  };
}

const secret = (bytes: number): string => crypto.randomBytes(bytes).toString('base64url');

export function generateJaggaer(ctx: SandboxContext, tenant: SandboxTenant): JaggaerState {
  const anchor = startOfDay(ctx.origin);
  const code = tenant.id.replace(/[^A-Za-z0-9]+/g, '').toUpperCase() || 'FERRY';
  const state: JaggaerState = {
    version: 1,
    auth: {
      clientId: `ferry-${code.toLowerCase()}`,
      clientSecret: secret(32),
      identity: code,
      sharedSecret: secret(24),
      signingKey: secret(32),
      // Keycloak's default access token lifespan.
      tokenLifetimeSeconds: 300,
    },
    config: defaultConfig(),
    suppliers: [],
    invoices: [],
    purchaseOrders: {},
    next: { bravoId: 21001, supplierId: 1003837001, invoiceId: 2600001, invoiceNumber: 101, lineId: 8875001, documentId: 2600101 },
  };
  state.suppliers = generateSuppliers(ctx, state, readVendors(tenant), anchor);

  const env = buildEnv(ctx, tenant, state, 'jaggaer.invoices');
  // About one invoice for every three POs (large ≈ 15,000), and enough for every case on a tiny tenant.
  const count = Math.max(8, Math.ceil(env.pos.length * 0.3));
  const built = Array.from({ length: count }, (_, i) =>
    // The first one is supplier-submitted, so the list shows that header variant (supplierTax) too.
    buildInvoice(env, kindFor(env.r, i), { mode: 'generated', anchor }, i === 0 ? { source: 'Automated' } : {}),
  );
  // JAGGAER numbers invoices as they arrive: renumber in creation order so ids and dates rise together.
  // On purpose, one invoice that cannot post as it is: a supplier's invoice dated in a period the books have
  // closed, approved only now. Needs attention offers to post it in the open period (or to reopen the old one).
  const late = buildLateInvoice(env, anchor);
  if (late) built.push(late);
  built.sort((a, b) => a.invoiceCreateDate.localeCompare(b.invoiceCreateDate) || a.invoiceId - b.invoiceId);
  const first = { invoiceId: 2600001, invoiceNumber: 101, lineId: 8875001 };
  built.forEach((inv, i) => {
    inv.invoiceId = first.invoiceId + i;
    inv.invoiceNumber = `I${String(first.invoiceNumber + i).padStart(5, '0')}`;
  });
  let lineId = first.lineId;
  for (const inv of built) for (const l of inv.lines) l.lineId = lineId++;
  state.invoices = built;
  return state;
}
