import { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { FerryError } from '../../../../shared/errors';
import { unreachable } from '../../auth/oauth';
import { captureExchange, type Capture } from '../../http/client';
import type { Redactor } from '../../http/redact';
import { buildPoMessage, parsePoResponse, type JaggaerPurchaseOrder, type PoCredentials, type PoMessageType } from './po-xml';

export const DEFAULT_PO_IMPORT_PATH = '/apps/Router/POXMLImport';

export interface PoSent {
  documentId: string;
  status: string;
  capture: Capture;
}

/** A PO JAGGAER did not take. `existingDocumentId` is set when it already holds a PO with that number. */
export class PoRejectedError extends FerryError {
  constructor(
    message: string,
    readonly capture: Capture | null,
    readonly existingDocumentId: string | null = null,
    code = 'jaggaer_rejected',
  ) {
    super(code, message);
  }
}

export class JaggaerPoClient {
  constructor(
    private readonly http: AxiosInstance,
    private readonly cfg: { baseUrl: string; poImportPath: string } & PoCredentials,
    private readonly redact: Redactor,
  ) {}

  async send(po: JaggaerPurchaseOrder, type: PoMessageType, messageId: string): Promise<PoSent> {
    const url = this.cfg.baseUrl.replace(/\/+$/, '') + this.cfg.poImportPath;
    const body = buildPoMessage(po, type, this.cfg, messageId);
    let res: AxiosResponse<string>;
    try {
      res = await this.http.post<string>(url, body, {
        headers: { 'Content-Type': 'application/xml; charset=utf-8', Accept: 'application/xml' },
        responseType: 'text',
        transformResponse: (d: string) => d,
      });
    } catch (err) {
      if (isAxiosError(err) && err.response) {
        throw new PoRejectedError(`JAGGAER answered PO ${po.poNumber} with HTTP ${err.response.status}.`, captureExchange(err.response, err.config!, this.redact), null, 'jaggaer_http');
      }
      throw unreachable('JAGGAER', url, err);
    }
    const capture = captureExchange(res, res.config, this.redact);
    const parsed = parsePoResponse(res.data);
    if (!parsed) throw new PoRejectedError(`JAGGAER's answer to PO ${po.poNumber} could not be read as a PO import response.`, capture);
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
      throw new PoRejectedError(`JAGGAER rejected PO ${po.poNumber}${where}: ${reason}`, capture, duplicate);
    }
    if (!parsed.documentId) throw new PoRejectedError(`JAGGAER accepted PO ${po.poNumber} but returned no document id.`, capture);
    return { documentId: parsed.documentId, status: parsed.poStatus ?? 'Approved', capture };
  }
}
