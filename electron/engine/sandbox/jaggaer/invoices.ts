import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { SandboxContext, SandboxTenant } from '../context';
import { RC, fail } from './envelope';
import { compileFlt, FltError, type FieldDef } from './flt';
import { buildEnv } from './invoice-build';
import { importOcrInvoice } from './invoice-ocr';
import { fullInvoice, listHeader, type Describe } from './invoice-render';
import type { JaggaerInvoice, JaggaerState } from './state';
import { readCharts, readCostCenters } from './tenant';

// Invoices (the J1P `ji` module).
//   GET  /j1p/api/public/ji/v1/invoices?startAt=1&flt=lastUpdate>=2026-01-31T00:00:00.000Z
//        The real list path is not public (customers get it at onboarding; Ferry keeps it configurable).
//        The sandbox serves the list here, with the captured envelope (returnCode, returnMessage,
//        totRecords, returnedRecords, startAt, jiinvoiceList.jiinvoice[].header). `startAt` is 1-based and
//        the page size fixed (state.config.pageSize.invoices); advance by returnedRecords. Ordered by
//        invoiceId. `flt` fields: lastUpdate, invoiceId, invoiceNumber, supplierInvoiceNumber,
//        supplierNumber, poNumber (any line), invoiceType, matchStatus, workflowStatus (syntax: flt.ts).
//   GET  /j1p/api/public/ji/v1/invoices/{invoiceId} → the invoice itself (header + lineList), no envelope.
//   POST /j1p/api/public/ji/v1/invoices/ocr → { returnCode, returnMessage, batchId, invoiceId }.

export const INVOICES_PATH = '/j1p/api/public/ji/v1/invoices';

const fields: Record<string, FieldDef<JaggaerInvoice>> = {
  lastUpdate: { type: 'date', get: (i) => i.lastUpdate },
  invoiceId: { type: 'number', get: (i) => i.invoiceId },
  invoiceNumber: { type: 'string', get: (i) => i.invoiceNumber },
  supplierInvoiceNumber: { type: 'string', get: (i) => i.supplierInvoiceNumber },
  supplierNumber: { type: 'string', get: (i) => i.supplier.supplierNumber },
  invoiceType: { type: 'string', get: (i) => i.invoiceType },
  matchStatus: { type: 'string', get: (i) => i.matchStatus },
  workflowStatus: { type: 'string', get: (i) => i.workflowStatus },
};

const listQuery = z.object({
  startAt: z.string().regex(/^\d+$/, 'startAt must be a positive integer').optional(),
  flt: z.string().optional(),
});

function poNumberClause(flt: string | undefined): { rest: string | undefined; poNumber: string | null } {
  // poNumber sits on lines, not on the header: handled here as an equality filter only.
  const parts = (flt ?? '').split(';');
  const po = parts.find((p) => /^\s*poNumber\s*==/i.test(p));
  return { rest: parts.filter((p) => p !== po).join(';'), poNumber: po ? po.replace(/^\s*poNumber\s*==\s*/i, '').trim() : null };
}

export function listInvoices(state: JaggaerState, query: unknown): Record<string, unknown> {
  const q = listQuery.safeParse(query ?? {});
  if (!q.success) return fail(RC.INVALID_REQUEST, q.error.issues.map((i) => i.message).join('; '));
  const startAt = Number(q.data.startAt ?? '1');
  if (startAt < 1) return fail(RC.INVALID_REQUEST, 'startAt must be 1 or greater');
  const { rest, poNumber } = poNumberClause(q.data.flt);
  let match: (i: JaggaerInvoice) => boolean;
  try {
    match = compileFlt(rest, fields);
  } catch (err) {
    if (err instanceof FltError) return fail(RC.INVALID_REQUEST, err.message);
    throw err;
  }
  const all = state.invoices
    .filter((i) => match(i) && (poNumber === null || i.lines.some((l) => l.poNumber === poNumber)))
    .sort((a, b) => a.invoiceId - b.invoiceId);
  const page = all.slice(startAt - 1, startAt - 1 + state.config.pageSize.invoices);
  return {
    returnCode: RC.OK,
    returnMessage: '',
    totRecords: all.length,
    returnedRecords: page.length,
    startAt,
    jiinvoiceList: { jiinvoice: page.map((i) => ({ header: listHeader(state, i) })) },
  };
}

/** Names for GL values from the tenant's chart of accounts and cost centers, read when asked. */
export function describer(tenant: SandboxTenant, state: JaggaerState): Describe {
  const charts = readCharts(tenant);
  const centers = readCostCenters(tenant);
  const source = new Map(state.config.glSegments.map((s) => [s.internalName, s.source]));
  return (name, value) => {
    const s = source.get(name);
    return (s === 'account' ? charts.get(value) : s === 'unit1' ? centers.get(value) : undefined) ?? value;
  };
}

export function registerInvoices(app: FastifyInstance, ctx: SandboxContext, tenant: SandboxTenant, state: JaggaerState, guard: preHandlerHookHandler): void {
  app.get(INVOICES_PATH, { preHandler: guard }, async (req) => listInvoices(state, req.query));

  app.get<{ Params: { invoiceId: string } }>(`${INVOICES_PATH}/:invoiceId`, { preHandler: guard }, async (req, reply) => {
    const id = Number(req.params.invoiceId);
    const inv = /^\d+$/.test(req.params.invoiceId) ? state.invoices.find((i) => i.invoiceId === id) : undefined;
    if (!inv) return reply.code(404).send(fail(RC.NOT_FOUND, `Invoice ${req.params.invoiceId} not found`));
    return fullInvoice(state, inv, describer(tenant, state));
  });

  app.post(`${INVOICES_PATH}/ocr`, { preHandler: guard }, async (req) => importOcrInvoice(ctx, buildEnv(ctx, tenant, state, 'jaggaer.ocr'), req.body));
}
