import { z } from 'zod';
import type { CostCenter, GlAccount, GlAccountType, Project } from '../../../../shared/domain';
import { periodName, type PostingDateCheck } from '../../mapping/periods';
import { readRecords } from './edge';
import { date, key, text } from './ido-fields';
import { IdoMethodError, type IdoClient } from './ido-client';

// Reference data in CloudSuite Industrial: the chart of accounts (SLCharts), cost centers as unit code 1
// (SLUnitcd1s), projects (SLProjs), read whole: they are small, and flows validate every posting against
// them. Fiscal periods are asked date by date through the product's own check (SLPeriods.DateChkSp) and
// named through PerGetSp: the periods' property layout is not published (contracts/cloudsuite-industrial.json).

const chartRow = z.looseObject({ Acct: key, Description: text, Type: text, AccessUnit1: text, ObsDate: date });
const unitRow = z.looseObject({ Unit1: key, Description: text });
const projectRow = z.looseObject({ ProjNum: key, ProjDesc: text, Stat: text });

/** Chart account types: Asset, Liability, Owner's equity, Revenue, Expense (the codes are inferred, see the contract). */
const TYPES: Record<string, GlAccountType> = { A: 'asset', L: 'liability', O: 'equity', R: 'revenue', E: 'expense' };

export class IndustrialReference {
  constructor(private readonly ido: IdoClient) {}

  async glAccounts(): Promise<GlAccount[]> {
    const rows = await this.ido.loadAll('SLCharts', { properties: ['Acct', 'Description', 'Type', 'AccessUnit1', 'ObsDate'], orderBy: 'Acct', recordCap: 0 });
    return readRecords(chartRow, rows, 'SLCharts').map((r) => ({
      number: r.Acct,
      description: r.Description ?? '',
      type: TYPES[r.Type ?? ''] ?? 'unknown',
      // An account taken out of use has an obsolete date.
      active: r.ObsDate === null,
      // Unit code 1 access: R(equired), A(llowed), N(ot used).
      costCenterRequired: r.AccessUnit1 === 'R',
    }));
  }

  async costCenters(): Promise<CostCenter[]> {
    const rows = await this.ido.loadAll('SLUnitcd1s', { properties: ['Unit1', 'Description'], orderBy: 'Unit1', recordCap: 0 });
    return readRecords(unitRow, rows, 'SLUnitcd1s').map((r) => ({ code: r.Unit1, description: r.Description ?? '', active: true }));
  }

  async projects(): Promise<Project[]> {
    const rows = await this.ido.loadAll('SLProjs', { properties: ['ProjNum', 'ProjDesc', 'Stat'], orderBy: 'ProjNum', recordCap: 0 });
    return readRecords(projectRow, rows, 'SLProjs').map((r) => ({
      number: r.ProjNum,
      description: r.ProjDesc ?? '',
      // The product itself filters active projects with Stat = 'A'.
      active: r.Stat === 'A',
      manager: null,
      costCenter: null,
      startDate: null,
      endDate: null,
    }));
  }

  /**
   * Whether CloudSuite takes postings on each day, and which fiscal period it is: PerGetSp names the period
   * (no period: none covers the day), DateChkSp says whether the day can be posted (its Infobar why not).
   */
  async checkPostingDates(days: readonly string[]): Promise<PostingDateCheck[]> {
    const out: PostingDateCheck[] = [];
    for (const day of days) {
      const stamp = `${day.replace(/-/g, '')} 00:00:00.000`;
      let period: string | null;
      try {
        const p = await this.ido.invoke('SLPeriods', 'PerGetSp', { Date: stamp }, { idempotent: true });
        period = p.PeriodsFiscalYear !== null && p.CurrentPeriod !== null ? periodName(String(p.PeriodsFiscalYear), String(p.CurrentPeriod)) : null;
      } catch (err) {
        if (!(err instanceof IdoMethodError)) throw err;
        out.push({ day, open: false, period: null, reason: err.infobar });
        continue;
      }
      try {
        await this.ido.invoke('SLPeriods', 'DateChkSp', { PDate: stamp, FieldLabel: 'Transaction Date', FunctionLabel: '@%update', Infobar: '', PromptMsg: '', PromptButtons: '' }, { idempotent: true });
        out.push({ day, open: true, period, reason: null });
      } catch (err) {
        if (!(err instanceof IdoMethodError)) throw err;
        out.push({ day, open: false, period, reason: err.infobar });
      }
    }
    return out;
  }
}
