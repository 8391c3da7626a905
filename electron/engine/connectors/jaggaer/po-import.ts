import { JAGGAER_PO_IMPORT_PATH } from '../../contracts/jaggaer';
import type { Capture, Http } from '../../http/client';
import { ConnectorError } from '../../http/errors';
import { buildPoMessage, parsePoResponse, type JaggaerPurchaseOrder, type PoCredentials, type PoMessageType } from './po-xml';

/** The published path (contracts/jaggaer.ts); a connection may name another. */
export const DEFAULT_PO_IMPORT_PATH = JAGGAER_PO_IMPORT_PATH;

export interface PoSent {
  documentId: string;
  status: string;
  capture: Capture;
}

/** A PO JAGGAER did not take. `existingDocumentId` is set when it already holds a PO with that number. */
export class PoRejectedError extends ConnectorError {
  constructor(
    message: string,
    capture: Capture | null,
    readonly existingDocumentId: string | null = null,
    code = 'jaggaer_rejected',
    retryable = false,
  ) {
    super(code, message, { system: 'JAGGAER', retryable, capture });
  }
}

export class JaggaerPoClient {
  constructor(
    private readonly http: Http,
    private readonly cfg: { baseUrl: string; poImportPath: string } & PoCredentials,
  ) {}

  async send(po: JaggaerPurchaseOrder, type: PoMessageType, messageId: string): Promise<PoSent> {
    const url = this.cfg.baseUrl.replace(/\/+$/, '') + this.cfg.poImportPath;
    const body = buildPoMessage(po, type, this.cfg, messageId);
    // Idempotent by key: JAGGAER refuses a second PO with the same number (DUPLICATE_PO, naming the
    // document it holds), and an update or cancel re-applied carries the same content. So a retry after a
    // lost answer can never make a second PO.
    const res = await this.http.send<string>({
      method: 'POST',
      url,
      data: body,
      headers: { 'Content-Type': 'application/xml; charset=utf-8' },
      responseType: 'text',
      idempotent: true,
      what: `PO ${po.poNumber}`,
    });
    const capture = res.capture;
    const parsed = parsePoResponse(res.data);
    if (!parsed) throw new PoRejectedError(`JAGGAER's answer to PO ${po.poNumber} could not be read as a PO import response.`, capture, null, 'jaggaer_bad_response', true);
    if (parsed.statusCode === 401 || parsed.statusCode === 403) {
      throw new PoRejectedError(
        `JAGGAER refused the PO import credentials (${parsed.statusText || parsed.statusCode}). Check the XML Identity and Shared Secret in Connections.`,
        capture,
        null,
        'jaggaer_auth',
      );
    }
    const firstError = parsed.errors[0];
    if (parsed.statusCode !== 200 || firstError) {
      const where = firstError?.line ? ` (line ${firstError.line})` : '';
      const reason = firstError ? firstError.message : parsed.statusText || `status ${parsed.statusCode}`;
      const duplicate = firstError?.code === 'DUPLICATE_PO' ? parsed.documentId : null;
      // A body-level 5xx is JAGGAER failing, not the PO being wrong: worth trying again later.
      throw new PoRejectedError(`JAGGAER rejected PO ${po.poNumber}${where}: ${reason}`, capture, duplicate, 'jaggaer_rejected', !firstError && parsed.statusCode >= 500);
    }
    if (!parsed.documentId) throw new PoRejectedError(`JAGGAER accepted PO ${po.poNumber} but returned no document id.`, capture);
    return { documentId: parsed.documentId, status: parsed.poStatus ?? 'Approved', capture };
  }
}
