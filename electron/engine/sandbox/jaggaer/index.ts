import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext, SandboxTenant } from '../context';
import { registerCompanyProfiles } from './companyprofiles';
import { registerInvoices } from './invoices';
import { registerPoImport } from './po-import';
import type { JaggaerState } from './state';
import { bearerGuard, registerToken } from './token';

// The simulated JAGGAER of one tenant: Keycloak token, company profiles, invoices (J1P REST, bearer
// token) and the eProcurement PO XML import (Identity/SharedSecret in the XML).

export type { GlSegment, GlSource, JaggaerInvoice, JaggaerInvoiceLine, JaggaerPoRecord, JaggaerState, JaggaerSupplier } from './state';
export { jaggaerCredentials } from './state';
export { generateJaggaer, defaultConfig } from './generate';
export { addJaggaerActivity, approveJaggaerInvoice } from './activity';
export { COMPANY_PROFILES_PATH } from './companyprofiles';
export { INVOICES_PATH } from './invoices';
export { RC as JAGGAER_RETURN_CODES } from './envelope';

/** Registers every JAGGAER route and the body parsers they need on a bare Fastify instance. */
export async function registerJaggaer(app: FastifyInstance, ctx: SandboxContext, tenant: SandboxTenant, state: JaggaerState): Promise<void> {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  for (const type of ['application/xml', 'text/xml']) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  registerToken(app, ctx, state);
  const guard = bearerGuard(ctx, state);
  registerCompanyProfiles(app, ctx, state, guard);
  registerInvoices(app, ctx, tenant, state, guard);
  registerPoImport(app, ctx, state);
}
