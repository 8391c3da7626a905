import { z } from 'zod';
import type { CostCenter, GlAccount, GlAccountType, Project } from '../../../../shared/domain';
import { readRecords } from './edge';
import type { AccountingPeriod } from '../../store/reference';
import { amount, date, key, requiredDate, text } from './ido-fields';
import type { IdoClient } from './ido-client';

// Reference data in CloudSuite Industrial: the chart of accounts (SLCharts), cost centers as unit code 1
// (SLUnitcd1s), projects (SLProjs), fiscal periods (SLPeriods: O(pen) or C(losed)). Read whole: they are small, and flows validate every posting against them.

const chartRow = z.looseObject({ Acct: key, Description: text, Type: text, Stat: text, UnitCd1Access: text });
const unitRow = z.looseObject({ UnitCd1: key, Description: text, Stat: text });
const periodRow = z.looseObject({ FiscalYear: amount, Period: amount, StartDate: requiredDate, EndDate: requiredDate, Stat: text });
const projectRow = z.looseObject({ ProjNum: key, Description: text, Stat: text, ProjMgr: text, CostCenter: text, StartDate: date, EndDate: date });

/** SLCharts account types: Asset, Liability, Owner's equity, Revenue, Expense. */
const TYPES: Record<string, GlAccountType> = { A: 'asset', L: 'liability', O: 'equity', R: 'revenue', E: 'expense' };

export class IndustrialReference {
  constructor(private readonly ido: IdoClient) {}

  async glAccounts(): Promise<GlAccount[]> {
    const rows = await this.ido.loadAll('SLCharts', { properties: ['Acct', 'Description', 'Type', 'Stat', 'UnitCd1Access'], orderBy: 'Acct', recordCap: 0, readOnly: true });
    return readRecords(chartRow, rows, 'SLCharts').map((r) => ({
      number: r.Acct,
      description: r.Description ?? '',
      type: TYPES[r.Type ?? ''] ?? 'unknown',
      active: r.Stat !== 'I',
      // Unit code 1 access: R(equired), A(llowed), N(ot used).
      costCenterRequired: r.UnitCd1Access === 'R',
    }));
  }

  async costCenters(): Promise<CostCenter[]> {
    const rows = await this.ido.loadAll('SLUnitcd1s', { properties: ['UnitCd1', 'Description', 'Stat'], orderBy: 'UnitCd1', recordCap: 0, readOnly: true });
    return readRecords(unitRow, rows, 'SLUnitcd1s').map((r) => ({ code: r.UnitCd1, description: r.Description ?? '', active: r.Stat !== 'I' }));
  }

  async projects(): Promise<Project[]> {
    const rows = await this.ido.loadAll('SLProjs', {
      properties: ['ProjNum', 'Description', 'Stat', 'ProjMgr', 'CostCenter', 'StartDate', 'EndDate'],
      orderBy: 'ProjNum',
      recordCap: 0,
      readOnly: true,
    });
    return readRecords(projectRow, rows, 'SLProjs').map((r) => ({
      number: r.ProjNum,
      description: r.Description ?? '',
      active: r.Stat === 'A',
      manager: r.ProjMgr,
      costCenter: r.CostCenter,
      startDate: r.StartDate,
      endDate: r.EndDate,
    }));
  }

  /** Fiscal periods with their first and last day; only an open one (Stat O) takes postings. */
  async periods(): Promise<AccountingPeriod[]> {
    const rows = await this.ido.loadAll('SLPeriods', { properties: ['FiscalYear', 'Period', 'StartDate', 'EndDate', 'Stat'], orderBy: 'FiscalYear, Period', recordCap: 0, readOnly: true });
    return readRecords(periodRow, rows, 'SLPeriods').map((r) => ({
      year: r.FiscalYear,
      period: r.Period,
      startDate: r.StartDate.slice(0, 10),
      endDate: r.EndDate.slice(0, 10),
      open: r.Stat === 'O',
    }));
  }
}
