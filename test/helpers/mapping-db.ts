import crypto from 'node:crypto';
import type { CostCenter, GlAccount, Project, Vendor } from '../../shared/domain';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { replaceReference, type AccountingPeriod } from '../../electron/engine/store/reference';
import { tempDir } from './temp';

// A real encrypted profile database in a temp folder, with a small, known reference cache: what the mapping
// and validation tests check against.

export function vendor(number: string, active = true, extra: Partial<Vendor> = {}): Vendor {
  return {
    number,
    name: `Vendor ${number}`,
    currency: 'USD',
    paymentTerms: 'N30',
    status: active ? 'A' : 'I',
    active,
    address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: 'US' },
    contact: { name: null, phone: null, email: null },
    modifiedAt: null,
    ...extra,
  };
}

export const account = (number: string, active = true, costCenterRequired = true): GlAccount => ({
  number,
  description: `Account ${number}`,
  type: 'expense',
  active,
  costCenterRequired,
});

export const costCenter = (code: string, active = true): CostCenter => ({ code, description: `Cost center ${code}`, active });

export const project = (number: string, active = true): Project => ({
  number,
  description: `Project ${number}`,
  active,
  manager: null,
  costCenter: 'CC100',
  startDate: null,
  endDate: null,
});

export const fixture = {
  vendors: [vendor('V001000'), vendor('V001010'), vendor('V001020', false)],
  accounts: [account('140000', true, false), account('610100'), account('650300'), account('690900', false)],
  costCenters: [costCenter('CC100'), costCenter('CC200'), costCenter('CC950', false)],
  projects: [project('PRJ00001'), project('PRJ00002', false)],
  periods: [
    { year: 2026, period: 2, startDate: '2026-02-01', endDate: '2026-02-28', open: false },
    { year: 2026, period: 3, startDate: '2026-03-01', endDate: '2026-03-31', open: true },
  ] satisfies AccountingPeriod[],
};

export interface MappingDb {
  profile: Profile;
  close(): void;
}

/** Opens a fresh profile; with `reference`, the fixture's lists are in the cache (periods only when asked). */
export async function mappingDb(opts: { reference?: boolean; periods?: boolean } = {}): Promise<MappingDb> {
  const tmp = tempDir('ferry-mapping-');
  const profile = await openProfile(tmp.dir, 'default', headlessKeyProvider(tmp.dir, { FERRY_DB_KEY: crypto.randomBytes(32).toString('hex') }));
  if (opts.reference) {
    replaceReference(profile.db, 'vendor', fixture.vendors);
    replaceReference(profile.db, 'gl-account', fixture.accounts);
    replaceReference(profile.db, 'cost-center', fixture.costCenters);
    replaceReference(profile.db, 'project', fixture.projects);
    if (opts.periods) replaceReference(profile.db, 'period', fixture.periods);
  }
  return {
    profile,
    close: () => {
      profile.close();
      tmp.remove();
    },
  };
}
