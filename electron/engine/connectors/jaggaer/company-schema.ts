import { z } from 'zod';

// Company profiles (suppliers) as J1P's `ja` module returns them. JAGGAER's own names: a flow maps them to
// CloudSuite vendors (extCode is the ERP supplier number, bravoId JAGGAER's key).

const text = z.union([z.string(), z.number()]).transform(String);
const optText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || String(v).trim() === '' ? null : String(v)));

export const companyInfoSchema = z.looseObject({
  bravoId: text,
  companyName: z.string(),
  extCode: optText,
  extUniqueCode: optText,
  type: optText,
  bizEmail: optText,
  bizPhone: optText,
  webSite: optText,
  address: optText,
  zip: optText,
  city: optText,
  province: optText,
  isoCountry: optText,
  paymentTerms: optText,
  // The profile's contact user, flat as the sandbox models J1P's USER component (not in the public docs).
  userName: optText,
  userSurName: optText,
  userEmail: optText,
  userPhone: optText,
  lastModTime: optText,
});

export type JaggaerCompany = Pick<
  z.output<typeof companyInfoSchema>,
  'bravoId' | 'companyName' | 'extCode' | 'extUniqueCode' | 'type' | 'bizEmail' | 'bizPhone' | 'webSite' | 'address' | 'zip' | 'city' | 'province' | 'isoCountry' | 'paymentTerms' | 'userName' | 'userSurName' | 'userEmail' | 'userPhone' | 'lastModTime'
>;

export const companyListSchema = z.looseObject({
  totRecords: z.number().int().min(0),
  returnedRecords: z.number().int().min(0),
  // An empty result may leave the list out altogether.
  returnCompanyData: z.array(z.looseObject({ returnCompanyInfo: companyInfoSchema })).optional(),
});

export const companyWriteSchema = z.looseObject({ bravoId: text, returnMessage: z.string().nullish() });

/** The fields Ferry writes. Absent fields are left as JAGGAER has them; null or '' clears one. */
export interface CompanyProfileInput {
  companyName: string;
  extCode?: string | null;
  extUniqueCode?: string | null;
  bizEmail?: string | null;
  bizPhone?: string | null;
  webSite?: string | null;
  address?: string | null;
  zip?: string | null;
  city?: string | null;
  province?: string | null;
  /** ISO 3166 alpha-2. */
  isoCountry?: string | null;
  paymentTerms?: string | null;
  /** The contact user's first name(s), surname, e-mail and phone. */
  userName?: string | null;
  userSurName?: string | null;
  userEmail?: string | null;
  userPhone?: string | null;
}

export function toCompany(info: z.output<typeof companyInfoSchema>): JaggaerCompany {
  const { bravoId, companyName, extCode, extUniqueCode, type, bizEmail, bizPhone, webSite, address, zip, city, province, isoCountry, paymentTerms, lastModTime } = info;
  const { userName, userSurName, userEmail, userPhone } = info;
  return {
    bravoId, companyName, extCode, extUniqueCode, type, bizEmail, bizPhone, webSite, address, zip, city, province, isoCountry, paymentTerms,
    userName, userSurName, userEmail, userPhone, lastModTime,
  };
}
