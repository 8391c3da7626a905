import { z } from 'zod';
import { KEYCLOAK_TOKEN_PATH } from '../../auth/jaggaer';
import { DEFAULT_PO_IMPORT_PATH } from './po-import';

// JAGGAER hands each customer its own API specs at onboarding, and the invoice list path is not public at all,
// so every path is configurable per connection; the published ones are only the defaults.

export interface JaggaerPaths {
  token: string;
  companyProfiles: string;
  invoices: string;
  invoice(invoiceId: string): string;
  invoiceImport: string;
  poImport: string;
}

const INVOICE_ID = '{invoiceId}';
const path = z.string().trim().startsWith('/', 'must start with /');

/** The stored form (plain JSON): `invoice` is a template with an {invoiceId} placeholder. */
export const jaggaerPathsConfig = z.object({
  token: path.optional(),
  companyProfiles: path.optional(),
  invoices: path.optional(),
  invoice: path.includes(INVOICE_ID, `must contain ${INVOICE_ID}`).optional(),
  invoiceImport: path.optional(),
  poImport: path.optional(),
});
export type JaggaerPathsConfig = z.infer<typeof jaggaerPathsConfig>;

export const DEFAULT_JAGGAER_PATHS = {
  token: KEYCLOAK_TOKEN_PATH,
  companyProfiles: '/j1p/api/public/ja/v1/companyprofiles',
  invoices: '/j1p/api/public/ji/v1/invoices',
  invoice: `/j1p/api/public/ji/v1/invoices/${INVOICE_ID}`,
  invoiceImport: '/j1p/api/public/ji/v1/invoices/ocr',
  poImport: DEFAULT_PO_IMPORT_PATH,
} as const satisfies Required<JaggaerPathsConfig>;

/** The customer's paths over the defaults. `poImportPath` is the older single setting, kept for stored connections. */
export function resolveJaggaerPaths(cfg: JaggaerPathsConfig = {}, poImportPath?: string): JaggaerPaths {
  const p = { ...DEFAULT_JAGGAER_PATHS, ...(poImportPath ? { poImport: poImportPath } : {}), ...definedOnly(cfg) };
  return {
    token: p.token,
    companyProfiles: p.companyProfiles,
    invoices: p.invoices,
    invoice: (invoiceId) => p.invoice.replace(INVOICE_ID, encodeURIComponent(invoiceId)),
    invoiceImport: p.invoiceImport,
    poImport: p.poImport,
  };
}

function definedOnly(cfg: JaggaerPathsConfig): Partial<Record<keyof JaggaerPathsConfig, string>> {
  return Object.fromEntries(Object.entries(cfg).filter(([, v]) => typeof v === 'string' && v !== ''));
}
