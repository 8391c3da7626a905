import type { IdoTables } from '../ido-tables';

// In-progress work an M3 client builds up over several calls: supplier invoice batches (APS450MI) until they
// are validated and posted (APS455MI), GL batches (GLS840MI) until they are controlled. Kept in memory per
// tenant, like M3's own work files; only what is posted or controlled becomes IDO rows, and those are persisted.

/** An accounting string: AIT1 (account) … AIT7, blanks as ''. */
export type Ait = [string, string, string, string, string, string, string];

export interface InvoiceLine {
  TRNO: number;
  RDTP: number;
  /** Net line amount in cents. */
  cents: number;
  ait: Ait;
  PUNO: string;
  PNLI: string;
  PNLS: string;
  IVQA: string;
  description: string;
}

export interface InvoiceBatch {
  INBN: string;
  SUNO: string;
  SINO: string;
  IVDT: string;
  ACDT: string;
  DUDT: string;
  CUCD: string;
  TEPY: string;
  /** Invoice total in cents. */
  cents: number;
  PUNO: string;
  lines: InvoiceLine[];
  /** Set by ApproveInvoice: the approval date (yyyyMMdd). */
  AAPD: string;
  /** Set when validated and posted (APS455MI ValidByBatchNo): the voucher the Industrial view sees. */
  VONO: string | null;
}

export interface GlLine {
  LINE: number;
  ACDT: string;
  ait: Ait;
  cents: number;
  VTXT: string;
}

export interface GlBatch {
  KEY1: string;
  INTN: string;
  DESC: string;
  lines: Map<number, GlLine>;
  status: 'open' | 'controlled' | 'updated';
  /** RowPointers of the SLJournals rows written by CtrlBatch. */
  journalRows: string[];
}

export const INBN_REF = /^APS450MI INBN (\d+)$/;

export class M3State {
  readonly invoiceBatches = new Map<string, InvoiceBatch>();
  readonly glBatches = new Map<string, GlBatch>();
  private lastInbn: number;

  constructor(ido: IdoTables) {
    // Batches are lost on restart but posted ones left their number on the posted voucher (SLAptrxps.Ref):
    // continue after it, so an invoice batch number never points at two invoices.
    this.lastInbn = 1_000_000;
    for (const v of ido.rows('SLAptrxps')) {
      const m = INBN_REF.exec(v.Ref ?? '');
      if (m) this.lastInbn = Math.max(this.lastInbn, Number(m[1]));
    }
  }

  nextInbn(): string {
    return String(++this.lastInbn);
  }
}
