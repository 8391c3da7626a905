import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { JAGGAER_PO_IMPORT_PATH } from '../../contracts/jaggaer';
import type { SandboxContext } from '../context';
import type { JaggaerPoRecord, JaggaerState } from './state';

// The eProcurement PO XML import (PurchaseOrderMessage). It authenticates with Identity/SharedSecret in the
// XML header, not with a bearer token, and answers HTTP 200 with its own Status/StatusCode in the body —
// errors included — as the real one does: a client that only checks the HTTP status misses every failure.
// POHeader type="new" (default) creates, "update" amends, "cancel" cancels; a second "new" for a known PO is
// DUPLICATE_PO with the existing DocumentId, so a client that lost its link can recover it.

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'POLine' });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

interface PoError {
  code: string;
  line?: number;
  text: string;
}

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']).trim() : '');

function respond(now: Date, statusCode: number, statusText: string, po?: { number?: string; documentId?: string; status?: string; errors?: PoError[] }): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    PurchaseOrderMessageResponse: {
      Header: { MessageId: crypto.randomUUID(), Timestamp: now.toISOString() },
      Status: { StatusCode: String(statusCode), StatusText: statusText },
      POResponse: po
        ? {
            PONumber: po.number,
            DocumentId: po.documentId,
            Status: po.status,
            Errors: po.errors?.length ? { Error: po.errors.map((e) => ({ '@_code': e.code, '@_line': e.line, '#text': e.text })) } : undefined,
          }
        : undefined,
    },
  }) as string;
}

function validate(state: JaggaerState, head: Node, lines: Node[]): PoError[] {
  const errors: PoError[] = [];
  const supplier = text((head.Supplier as Node | undefined)?.SupplierNumber);
  if (!supplier) errors.push({ code: 'SUPPLIER_REQUIRED', text: 'Supplier/SupplierNumber is required' });
  else if (state.config.poImportRequiresKnownSupplier && !state.suppliers.some((s) => s.extCode === supplier)) {
    errors.push({ code: 'UNKNOWN_SUPPLIER', text: `No supplier has the supplier number ${supplier}` });
  }
  if (lines.length === 0) errors.push({ code: 'LINES_REQUIRED', text: 'At least one POLine is required' });
  lines.forEach((l, i) => {
    const n = Number(l['@_lineNumber'] ?? i + 1);
    if (!(Number(text(l.Quantity)) > 0)) errors.push({ code: 'INVALID_QUANTITY', line: n, text: 'Quantity must be greater than zero' });
    if (!Number.isFinite(Number(text(l.UnitPrice)))) errors.push({ code: 'INVALID_PRICE', line: n, text: 'UnitPrice must be a number' });
  });
  return errors;
}

/** Handles one PurchaseOrderMessage body; returns the response XML (always sent with HTTP 200). */
export function importPo(ctx: SandboxContext, state: JaggaerState, body: string): string {
  const now = ctx.clock.date('jaggaer');
  let doc: Node;
  try {
    doc = parser.parse(body, true) as Node;
  } catch {
    return respond(now, 400, 'Malformed XML');
  }
  const msg = doc.PurchaseOrderMessage as Node | undefined;
  if (!msg) return respond(now, 400, 'Expected a PurchaseOrderMessage document');
  const auth = ((msg.Header as Node | undefined)?.Authentication ?? {}) as Node;
  if (text(auth.Identity) !== state.auth.identity || text(auth.SharedSecret) !== state.auth.sharedSecret) return respond(now, 401, 'Authentication failed');

  const po = (msg.PurchaseOrder ?? {}) as Node;
  const head = (po.POHeader ?? {}) as Node;
  const type = String(head['@_type'] ?? 'new');
  const number = text(head.PONumber);
  if (!number) return respond(now, 400, 'POHeader/PONumber is required');
  if (!['new', 'update', 'cancel'].includes(type)) return respond(now, 400, `Unknown POHeader type '${type}'`);
  const lines = (po.POLine ?? []) as Node[];
  const errors = validate(state, head, lines);
  if (errors.length) return respond(now, 200, 'Completed with errors', { number, errors });
  const existing = state.purchaseOrders[number];
  if (type === 'new' && existing) {
    return respond(now, 200, 'Completed with errors', {
      number,
      documentId: existing.documentId,
      status: existing.status,
      errors: [{ code: 'DUPLICATE_PO', text: `A purchase order ${number} already exists` }],
    });
  }
  if ((type === 'update' || type === 'cancel') && !existing) {
    return respond(now, 200, 'Completed with errors', { number, errors: [{ code: 'PO_NOT_FOUND', text: `Purchase order ${number} does not exist` }] });
  }

  const at = now.toISOString();
  const record: JaggaerPoRecord = existing ?? {
    documentId: String(state.next.documentId++),
    poNumber: number,
    status: 'Approved',
    version: 0,
    supplierNumber: '',
    totalAmount: '0.00',
    lineCount: 0,
    receivedAt: at,
    updatedAt: at,
  };
  Object.assign(record, {
    status: type === 'cancel' ? 'Cancelled' : 'Approved',
    version: record.version + 1,
    supplierNumber: text((head.Supplier as Node | undefined)?.SupplierNumber),
    totalAmount: text(head.TotalAmount),
    lineCount: lines.length,
    updatedAt: at,
  });
  state.purchaseOrders[number] = record;
  ctx.changed();
  return respond(now, 200, 'OK', { number, documentId: record.documentId, status: record.status });
}

export function registerPoImport(app: FastifyInstance, ctx: SandboxContext, state: JaggaerState): void {
  app.post<{ Body: string }>(JAGGAER_PO_IMPORT_PATH, async (req, reply) => {
    reply.type('application/xml; charset=utf-8');
    return importPo(ctx, state, typeof req.body === 'string' ? req.body : '');
  });
}
