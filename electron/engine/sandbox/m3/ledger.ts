import type { Row } from '../ido-filter';
import type { IdoTables } from '../ido-tables';
import { blocked, doesNotExist, mustBeEntered } from './fields';
import type { Ait } from './state';

// The company's accounting setup as M3 sees it, read from the shared rows: dimension 1 is the account (SLCharts),
// dimension 2 the cost center (SLUnitcd1s, Industrial's unit code 1), dimension 3 the project (SLProjs).
// Dimensions 4–7 are not in use, so any value there is an identity that does not exist.

export interface Dimension {
  ido: string;
  key: string;
}

export const DIMENSIONS: Readonly<Record<number, Dimension>> = {
  1: { ido: 'SLCharts', key: 'Acct' },
  2: { ido: 'SLUnitcd1s', key: 'Unit1' },
  3: { ido: 'SLProjs', key: 'ProjNum' },
};

/** The accounts payable account approved invoices credit (the seed's chart has it as 201000). */
export const AP_ACCOUNT = '201000';

/**
 * Refuses an accounting string M3 would refuse: unknown or blocked account, a cost center missing where the
 * account requires one (SLCharts.AccessUnit1 R) or present where it allows none (N), an unknown or inactive
 * cost center or project, or a value in an unused dimension.
 */
export function checkAccountingString(ido: IdoTables, ait: Ait): void {
  const [acct, costCenter, project, ...unused] = ait;
  if (!acct) throw mustBeEntered('AIT1');
  const chart = ido.find('SLCharts', (r) => r.Acct === acct);
  if (!chart) throw doesNotExist('AIT1', acct, 'Account');
  if (chart.ObsDate) throw blocked('AIT1', `Account ${acct} is blocked`);

  const access = chart.AccessUnit1 ?? 'N';
  if (access === 'R' && !costCenter) throw mustBeEntered('AIT2', ` for account ${acct}`);
  if (access === 'N' && costCenter) throw blocked('AIT2', `Accounting dimension 2 is not permitted for account ${acct}`);
  if (costCenter) {
    const cc = ido.find('SLUnitcd1s', (r) => r.Unit1 === costCenter);
    if (!cc) throw doesNotExist('AIT2', costCenter, 'Cost center');
  }
  if (project) {
    const p = ido.find('SLProjs', (r) => r.ProjNum === project);
    if (!p) throw doesNotExist('AIT3', project, 'Project');
    if (p.Stat !== 'A') throw blocked('AIT3', `Project ${project} is closed`);
  }
  unused.forEach((v, i) => {
    if (v) throw doesNotExist(`AIT${i + 4}`, v, `Accounting identity (dimension ${i + 4})`);
  });
}

/** The fiscal period holding a yyyyMMdd date, or null. */
export function periodOf(ido: IdoTables, day: string): Row | null {
  return ido.find('SLPeriods', (p) => (p.StartDate ?? '').slice(0, 8) <= day && day <= (p.EndDate ?? '').slice(0, 8)) ?? null;
}

/** Postings are accepted only into an open period (SLPeriods.Stat 'O'); the books close two months behind. */
export function checkPeriodOpen(ido: IdoTables, day: string, field: string): void {
  const period = periodOf(ido, day);
  if (!period) throw doesNotExist(field, day, 'Accounting period for date');
  if (period.Stat !== 'O') throw blocked(field, `Accounting period ${period.FiscalYear}/${String(period.Period).padStart(2, '0')} is closed (date ${day})`);
}

/** Accounting string → the IDO properties of a distribution or journal row. */
export const aitToIdo = (ait: Ait): Row => ({
  Acct: ait[0], AcctUnit1: ait[1] || null, AcctUnit2: null, AcctUnit3: null, AcctUnit4: null, ProjNum: ait[2] || null,
});
