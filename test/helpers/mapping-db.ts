import crypto from 'node:crypto';
import type { CostCenter, GlAccount, Project, Vendor } from '../../shared/domain';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { PeriodBook, type PeriodSource } from '../../electron/engine/mapping/periods';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { replaceReference } from '../../electron/engine/store/reference';
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
};

/**
 * CloudSuite's answers on posting dates, as a stand-in for its date check (the adapter's PeriodSource): the
 * books of 2026 are closed through February and open from March; 2027 has no periods yet.
 */
export const fixturePeriods: PeriodSource = {
  checkPostingDates: async (days) =>
    days.map((day) => {
      if (!day.startsWith('2026-')) return { day, open: false, period: null, reason: `No accounting period covers ${day}.` };
      const month = day.slice(0, 7);
      const open = month >= '2026-03';
      return { day, open, period: month, reason: open ? null : `Accounting period ${month} is closed.` };
    }),
};

/** A PeriodBook over the fixture, loaded with these days. */
export async function fixtureBook(...days: string[]): Promise<PeriodBook> {
  const book = new PeriodBook(fixturePeriods);
  await book.load(days);
  return book;
}

export interface MappingDb {
  profile: Profile;
  close(): void;
}

/** Opens a fresh profile; with `reference`, the fixture's lists are in the cache. */
export async function mappingDb(opts: { reference?: boolean } = {}): Promise<MappingDb> {
  const tmp = tempDir('ferry-mapping-');
  const profile = await openProfile(tmp.dir, 'default', headlessKeyProvider(tmp.dir, { FERRY_DB_KEY: crypto.randomBytes(32).toString('hex') }));
  if (opts.reference) {
    replaceReference(profile.db, 'vendor', fixture.vendors);
    replaceReference(profile.db, 'gl-account', fixture.accounts);
    replaceReference(profile.db, 'cost-center', fixture.costCenters);
    replaceReference(profile.db, 'project', fixture.projects);
  }
  return {
    profile,
    close: () => {
      profile.close();
      tmp.remove();
    },
  };
}
