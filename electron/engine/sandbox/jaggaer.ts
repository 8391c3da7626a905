import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { KEYCLOAK_TOKEN_PATH } from '../auth/jaggaer';
import { DEFAULT_PO_IMPORT_PATH } from '../connectors/jaggaer/po-import';
import type { SandboxContext } from './context';

// Interim single-file JAGGAER, replaced by jaggaer/ (suppliers, invoices, PO import) as it lands.
export interface LegacyJaggaerState {
  credentials: { clientId: string; clientSecret: string; identity: string; sharedSecret: string };
  nextDocumentId: number;
  purchaseOrders: Record<string, { documentId: string; poNumber: string; status: 'Approved' | 'Cancelled'; version: number; supplierNumber: string; totalAmount: string; lineCount: number; receivedAt: string; updatedAt: string }>;
}

export function generateLegacyJaggaer(): LegacyJaggaerState {
  return {
    credentials: { clientId: 'ferry-integration', clientSecret: crypto.randomBytes(32).toString('base64url'), identity: 'FERRYDEMO', sharedSecret: crypto.randomBytes(24).toString('base64url') },
    nextDocumentId: 2600101,
    purchaseOrders: {},
  };
}

// JAGGAER: the Keycloak token endpoint of J1P and the eProcurement PO XML import. The import answers
// HTTP 200 with its own Status/StatusCode in the body, errors included, as the real one does.

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'POLine' });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

interface PoError {
  code: string;
  line?: number;
  text: string;
}

function respond(statusCode: number, statusText: string, po?: { number?: string; documentId?: string; status?: string; errors?: PoError[] }): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    PurchaseOrderMessageResponse: {
      Header: { MessageId: crypto.randomUUID(), Timestamp: new Date().toISOString() },
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

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']).trim() : '');

export function registerLegacyJaggaer(app: FastifyInstance, ctx: SandboxContext, state: LegacyJaggaerState): void {
  const tokens = new Map<string, number>();

  app.post<{ Body: Record<string, string> }>(KEYCLOAK_TOKEN_PATH, async (req, reply) => {
    const j = state.credentials;
    if (req.body?.grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    if (req.body.client_id !== j.clientId || req.body.client_secret !== j.clientSecret) {
      return reply.code(401).send({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    }
    const token = crypto.randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + 300_000);
    return { access_token: token, expires_in: 300, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'profile email' };
  });

  app.post<{ Body: string }>(DEFAULT_PO_IMPORT_PATH, async (req, reply) => {
    reply.type('application/xml; charset=utf-8');
    let doc: Node;
    try {
      doc = parser.parse(req.body ?? '', true) as Node;
    } catch {
      return respond(400, 'Malformed XML');
    }
    const msg = doc.PurchaseOrderMessage as Node | undefined;
    if (!msg) return respond(400, 'Expected a PurchaseOrderMessage document');
    const auth = ((msg.Header as Node | undefined)?.Authentication ?? {}) as Node;
    const j = state.credentials;
    if (text(auth.Identity) !== j.identity || text(auth.SharedSecret) !== j.sharedSecret) return respond(401, 'Authentication failed');

    const po = (msg.PurchaseOrder ?? {}) as Node;
    const head = (po.POHeader ?? {}) as Node;
    const type = String(head['@_type'] ?? 'new');
    const number = text(head.PONumber);
    if (!number) return respond(400, 'POHeader/PONumber is required');
    const errors = validate(head, (po.POLine ?? []) as Node[]);
    const existing = state.purchaseOrders[number];
    if (errors.length) return respond(200, 'Completed with errors', { number, errors });
    if (type === 'new' && existing) {
      return respond(200, 'Completed with errors', { number, documentId: existing.documentId, status: existing.status, errors: [{ code: 'DUPLICATE_PO', text: `A purchase order ${number} already exists` }] });
    }
    if ((type === 'update' || type === 'cancel') && !existing) {
      return respond(200, 'Completed with errors', { number, errors: [{ code: 'PO_NOT_FOUND', text: `Purchase order ${number} does not exist` }] });
    }
    if (!['new', 'update', 'cancel'].includes(type)) return respond(400, `Unknown POHeader type '${type}'`);
    const now = ctx.clock.date('jaggaer').toISOString();
    const lines = (po.POLine ?? []) as Node[];
    const record = existing ?? {
      documentId: String(state.nextDocumentId++),
      poNumber: number,
      status: 'Approved' as const,
      version: 0,
      supplierNumber: '',
      totalAmount: '0.00',
      lineCount: 0,
      receivedAt: now,
      updatedAt: now,
    };
    Object.assign(record, {
      status: type === 'cancel' ? 'Cancelled' : 'Approved',
      version: record.version + 1,
      supplierNumber: text((head.Supplier as Node | undefined)?.SupplierNumber),
      totalAmount: text(head.TotalAmount),
      lineCount: lines.length,
      updatedAt: now,
    });
    state.purchaseOrders[number] = record;
    ctx.changed();
    return respond(200, 'OK', { number, documentId: record.documentId, status: record.status });
  });
}

function validate(head: Node, lines: Node[]): PoError[] {
  const errors: PoError[] = [];
  if (!text((head.Supplier as Node | undefined)?.SupplierNumber)) errors.push({ code: 'SUPPLIER_REQUIRED', text: 'Supplier/SupplierNumber is required' });
  if (lines.length === 0) errors.push({ code: 'LINES_REQUIRED', text: 'At least one POLine is required' });
  lines.forEach((l, i) => {
    const n = Number(l['@_lineNumber'] ?? i + 1);
    if (!(Number(text(l.Quantity)) > 0)) errors.push({ code: 'INVALID_QUANTITY', line: n, text: 'Quantity must be greater than zero' });
    if (!Number.isFinite(Number(text(l.UnitPrice)))) errors.push({ code: 'INVALID_PRICE', line: n, text: 'UnitPrice must be a number' });
  });
  return errors;
}
