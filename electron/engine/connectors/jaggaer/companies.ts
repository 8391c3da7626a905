import { collect, fltTime, fltValue, pageThrough, type JaggaerPage } from './paging';
import type { JaggaerRest } from './rest';
import { companyListSchema, companyWriteSchema, toCompany, type CompanyProfileInput, type JaggaerCompany } from './company-schema';

export type { CompanyProfileInput, JaggaerCompany } from './company-schema';

/** Company profiles: search and page, CREATE / UPDATE / CREATEUPDATE. */
export class JaggaerCompanies {
  constructor(
    private readonly rest: JaggaerRest,
    private readonly path: string,
  ) {}

  /** One page at a 1-based `start`; `flt` is J1P's filter (`LASTMODTIME>=…`, `EXTCODE==…`), null for all. */
  async page(flt: string | null, start: number): Promise<JaggaerPage<JaggaerCompany>> {
    const params: Record<string, string> = { start: String(start) };
    if (flt) params.flt = flt;
    const body = await this.rest.get(this.path, companyListSchema, { params, what: 'reading suppliers' });
    return { totRecords: body.totRecords, returnedRecords: body.returnedRecords, items: (body.returnCompanyData ?? []).map((c) => toCompany(c.returnCompanyInfo)) };
  }

  /** Every page of a search, one page at a time, so a flow can save each page before reading the next. */
  pages(flt: string | null): AsyncGenerator<JaggaerCompany[]> {
    return pageThrough((start) => this.page(flt, start), 'suppliers');
  }

  /** Profiles saved at or after `since` (JAGGAER moves lastModTime on every save, even one that changes nothing). */
  changedSince(since: Date | string): AsyncGenerator<JaggaerCompany[]> {
    return this.pages(`LASTMODTIME>=${fltTime(since)}`);
  }

  /** Profiles with this ERP supplier number; JAGGAER keeps it unique, older data may not. */
  async findByExtCode(extCode: string): Promise<JaggaerCompany[]> {
    return collect(this.pages(`EXTCODE==${fltValue('supplier number', extCode)}`));
  }

  /**
   * Creates a supplier; `extCode` is required because it is how Ferry proves a create did or did not land
   * when the answer is lost. Call it for an extCode JAGGAER does not hold yet (search first): JAGGAER refuses
   * a second profile with an extCode in use, so one found after a lost answer is the one this call made.
   */
  async create(info: CompanyProfileInput & { extCode: string }): Promise<string> {
    const extCode = fltValue('supplier number', info.extCode);
    const body = { company: { operationCode: 'CREATE', companyInfo: { ...info, extCode } } };
    const res = await this.rest.postProved(this.path, body, companyWriteSchema, `creating supplier ${extCode} in JAGGAER`, () => this.findByExtCode(extCode));
    return res.found ? res.found.bravoId : res.answer.bravoId;
  }

  /** Updates the profile with this bravoId; re-applying the same content is harmless, so it may be retried. */
  async update(bravoId: string, info: CompanyProfileInput): Promise<string> {
    return this.write('UPDATE', { ...info, bravoId }, { what: `updating supplier ${info.extCode ?? bravoId} in JAGGAER`, idempotent: true });
  }

  /** JAGGAER finds the profile by bravoId, else extCode, and updates it, or creates one. */
  async createOrUpdate(info: CompanyProfileInput & { bravoId?: string }): Promise<string> {
    const key = info.bravoId ?? info.extCode ?? null;
    // With a key a repeat finds the same profile again; without one it is a plain create and is never repeated.
    return this.write('CREATEUPDATE', info, { what: `saving supplier ${key ?? info.companyName} in JAGGAER`, idempotent: key !== null });
  }

  private async write(
    operationCode: 'UPDATE' | 'CREATEUPDATE',
    companyInfo: Partial<CompanyProfileInput> & { bravoId?: string },
    o: { what: string; idempotent: boolean },
  ): Promise<string> {
    const body = await this.rest.post(this.path, { company: { operationCode, companyInfo } }, companyWriteSchema, o);
    return body.bravoId;
  }
}
