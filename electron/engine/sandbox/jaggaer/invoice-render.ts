import { invoiceAmounts } from './invoice-build';
import type { JaggaerInvoice, JaggaerInvoiceLine, JaggaerState, JaggaerSupplier } from './state';
import { COUNTRY_NAMES } from './tenant';

// Invoices in the JSON shapes of the captured payloads (../shared/fixtures/jaggaer/): the list carries only a
// summary header per invoice (invoice_list.json); a single invoice has the full header and its lines with
// the GL coding in splittableFieldSetGroupList (invoice_sample.json). Key order follows the captures too.
// A contract test walks both fixtures and fails on any path or JSON type this file gets wrong.

type Json = Record<string, unknown>;

/** Describes a GL value for `customFieldValue.description` (chart of accounts, cost center names). */
export type Describe = (internalName: string, value: string) => string;

interface Addr {
  lines: string[];
  city: string;
  state: string;
  zip: string;
  iso: string;
}

// The buyer's own addresses: where invoices are billed and goods go (CloudSuite warehouse codes).
const BILL_TO: Addr = { lines: ['100 Harbor Way'], city: 'Portland', state: 'OR', zip: '97204', iso: 'US' };
const SHIP_TO: Record<string, Addr> = {
  MAIN: BILL_TO,
  EAST: { lines: ['25 Dock Street'], city: 'Boston', state: 'MA', zip: '02110', iso: 'US' },
};

function address(a: Addr, addressCode?: string): Json {
  return {
    addressLineList: { addressLine: a.lines.map((l, i) => (l ? { lineNumber: i + 1, addressLine: l } : { lineNumber: i + 1 })) },
    city: a.city,
    state: a.state,
    postalCode: a.zip,
    country: COUNTRY_NAMES[a.iso] ?? a.iso,
    isoCountryCode: a.iso,
    ...(addressCode ? { addressCode } : {}),
  };
}

function supplierAddr(s: JaggaerSupplier | undefined): Addr {
  return { lines: [s?.address ?? ''], city: s?.city ?? '', state: s?.province ?? '', zip: s?.zip ?? '', iso: s?.isoCountry ?? 'US' };
}

const emptyAttachments = (): Json => ({
  externalInfo: { attachmentList: { attachment: [] } },
  internalInfo: { attachmentList: { attachment: [] } },
  ocrAttachmentList: { attachment: [] },
});

/** A customer's non-GL custom fields: a tax code with a value, and one left empty (it renders as `{}`). */
function customFields(taxable: boolean): Json {
  return {
    customFieldValueSet: [
      {
        name: 'TaxCode',
        label: 'Tax Code',
        customFieldValueList: { customFieldValue: [taxable ? { value: 'T', description: 'TAXABLE' } : { value: 'N', description: 'NON-TAXABLE' }] },
      },
      { name: 'SystemSource', label: 'System Source', customFieldValueList: { customFieldValue: [{}] } },
    ],
  };
}

function splittable(state: JaggaerState, gl: Record<string, string>, describe: Describe): Json {
  return {
    splittableFieldSetGroup: [
      {
        splittableFieldIndexSet: [
          {
            context: 'Line',
            splittableFieldIndexList: {
              splittableFieldIndex: [
                {
                  customFieldValueList: {
                    customFieldValue: state.config.glSegments.map(({ internalName }) => {
                      const value = gl[internalName];
                      return value === undefined ? { internalName } : { internalName, value, description: describe(internalName, value) };
                    }),
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

const uomOf = (dimension: string): Json => ({
  dimension,
  alternateUnitOfMeasure: ['system', 'buyer', 'supplier'].map((type) => ({ type, dimension })),
});

const userEmail = (username: string): string => `${username}@ferry-demo.example.com`;

/** The summary header of one invoice, as each `jiinvoiceList.jiinvoice[].header` of the list. */
export function listHeader(state: JaggaerState, inv: JaggaerInvoice): Json {
  const { tax, total } = invoiceAmounts(inv);
  const supplierTax = inv.invoiceSource === 'Automated';
  return {
    originalRequestMessageId: inv.originalRequestMessageId,
    invoiceId: inv.invoiceId,
    validationStatus: 'Unneeded',
    lastUpdate: inv.lastUpdate,
    paymentStatus: inv.paymentStatus,
    invoiceName: inv.invoiceName,
    invoiceNumber: inv.invoiceNumber,
    originalInvoiceNumber: inv.invoiceNumber,
    invoiceType: inv.invoiceType,
    invoiceLineType: inv.lines.some((l) => l.poNumber) ? 'PO' : 'Non-PO',
    invoiceSource: inv.invoiceSource,
    invoiceDate: inv.invoiceDate,
    invoiceCreateDate: inv.invoiceCreateDate,
    dueDate: inv.dueDate,
    termDiscountAmount: 0,
    invoicedBy: { username: inv.invoicedBy, businessUnit: state.config.businessUnit, email: userEmail(inv.invoicedBy) },
    businessUnit: state.config.businessUnit,
    supplier: {
      id: inv.supplier.id,
      name: inv.supplier.name,
      // A portal-only supplier has no ERP number: J1P leaves empty fields out (see the `{}` custom values).
      ...(inv.supplier.supplierNumber ? { supplierNumber: inv.supplier.supplierNumber } : {}),
      ...(inv.supplier.duns ? { duns: inv.supplier.duns } : {}),
    },
    supplierInvoiceNumber: inv.supplierInvoiceNumber,
    accountingDate: inv.invoiceDate,
    freightOnBoard: 'Destination',
    matchStatus: inv.matchStatus,
    workflowStatus: inv.workflowStatus,
    nonPOInvoice: String(!inv.lines.some((l) => l.poNumber)),
    containsNonPOLines: String(inv.lines.some((l) => !l.poNumber)),
    taxCharge1: tax,
    taxCharge2: 0,
    shippingCharge: inv.shippingCharge,
    handlingCharge: inv.handlingCharge,
    discountAmount: inv.discountAmount,
    allocationMethod: 'Weighted',
    earlyPaymentDiscount: 0,
    // Supplier-submitted (automated) invoices carry the supplier's own tax figure next to the computed ones.
    tax1HeaderChargeDetail: supplierTax ? { supplierTax: tax, currentTax: tax, engineTax: tax } : { currentTax: tax, engineTax: 0 },
    ...(inv.invoiceType === 'Credit memo' ? { withholdingTax1: 0 } : {}),
    total: { currency: inv.currency, value: total },
  };
}

function renderLine(state: JaggaerState, inv: JaggaerInvoice, l: JaggaerInvoiceLine, describe: Describe): Json {
  const ship = SHIP_TO[l.shipToCode] ?? BILL_TO;
  const po = l.poNumber
    ? { poNumber: l.poNumber, poLineNumber: l.poLineNumber ?? String(l.lineNumber), poAPStatus: inv.workflowStatus === 'Completed' ? 'Close' : 'Open' }
    : {};
  const poMatch = l.poNumber
    ? { poMatchStatus: inv.matchStatus === 'Matched' ? 'Fully Matched' : 'Not Matched', poLineMatchStatus: l.matchStatus === 'Matched' ? 'Fully Matched' : 'Not Matched' }
    : {};
  return {
    lineId: l.lineId,
    lineNumber: l.lineNumber,
    item: { description: l.description, unitOfMeasure: uomOf(l.unitOfMeasure), productType: 'NonCatalogItem' },
    businessUnit: state.config.businessUnit,
    ...po,
    receipts: { receipt: [] },
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    capitalExpense: 'false',
    taxable: String(l.taxCharge1 !== 0),
    taxCharge1: l.taxCharge1,
    taxCharge2: 0,
    shippingCharge: 0,
    handlingCharge: 0,
    discountAmount: 0,
    earlyPaymentDiscount: 0,
    matchStatus: l.matchStatus,
    isSubstituteItem: 'false',
    toleranceStatus: l.matchStatus === 'Unmatched' ? 'Out of Tolerance' : 'Exact',
    fulfillmentCenterName: 'Fulfillment Center 1',
    additionalInfo: emptyAttachments(),
    invoiceOwner: { businessUnit: state.config.businessUnit, email: userEmail(inv.invoicedBy) },
    customFieldValueSetList: customFields(l.taxCharge1 !== 0),
    splittableFieldSetGroupList: splittable(state, l.gl, describe),
    ...poMatch,
    shipTo: { address: address(ship, l.shipToCode) },
  };
}

/** One invoice as GET /invoices/{id} returns it: the full header and `lineList.invoiceLine`. */
export function fullInvoice(state: JaggaerState, inv: JaggaerInvoice, describe: Describe): Json {
  const s = state.suppliers.find((x) => x.bravoId === inv.supplier.bravoId);
  const summary = listHeader(state, inv);
  const { tax } = invoiceAmounts(inv);
  const firstShip = inv.lines[0]?.shipToCode ?? 'MAIN';
  const header: Json = {};
  // The full header is the summary with the address, terms, payment and coding blocks slotted in where
  // invoice_sample.json has them.
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'supplier') {
      header.supplier = { ...(value as Json), contactInfoList: { contactInfo: [{ type: 'main', address: address(supplierAddr(s)) }] } };
      continue;
    }
    if (key === 'accountingDate') {
      header.billTo = { address: address(BILL_TO, 'AP-MAIN') };
      header.shipTo = { address: address(SHIP_TO[firstShip] ?? BILL_TO, firstShip) };
      const remit = supplierAddr(s);
      header.remitTo = { internalId: inv.supplier.id + 500_000_000, address: address({ ...remit, lines: [remit.lines[0] ?? '', '', ''] }), addressCode: '001' };
      header.terms = { discount: {}, days: 0, type: 'Net', daysAfter: inv.terms.daysAfter, standardPaymentTermsCode: inv.terms.code };
      header.payment = { method: 'Unknown', paidByExternalPaymentProcessor: 'false' };
    }
    if (key === 'taxCharge1') {
      header.customFieldValueSetList = customFields(tax !== 0);
      header.splittableFieldSetGroupList = splittable(state, inv.lines[0]?.gl ?? {}, describe);
    }
    if (key === 'tax1HeaderChargeDetail') header.miscFeeList = { miscFee: [{ name: 'MiscFee1', fee: 0 }] };
    header[key] = value;
    if (key === 'freightOnBoard') header.additionalInfo = emptyAttachments();
  }
  return { header, lineList: { invoiceLine: inv.lines.map((l) => renderLine(state, inv, l, describe)) } };
}
