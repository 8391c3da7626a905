import { z } from 'zod';
import type { CostCenter, GlAccount, Project } from '../../../../shared/domain';
import { readRecords } from './edge';
import type { M3Client } from './m3-client';
import { key, text } from './m3-fields';

// Reference data in CloudSuite M3: the accounting identities of CRS630MI (LstAccountID). Dimension 1 is the
// account, 2 the cost center, 3 the project; LCCD 1 means blocked. For accounts, AT01/AT02 say balance sheet
// or profit and loss, and ACR2 is the control rule for dimension 2 (1 = a cost center is required).

const identity = z.looseObject({ AITM: key, TX40: text, LCCD: text, AT01: text, AT02: text, ACR2: text });
type Identity = z.output<typeof identity>;

const PAGE = 500;

export class M3Reference {
  constructor(private readonly m3: M3Client) {}

  async glAccounts(): Promise<GlAccount[]> {
    return (await this.identities(1)).map((r) => ({
      number: r.AITM,
      description: r.TX40 ?? '',
      type: r.AT01 === '1' ? 'balance-sheet' : r.AT02 === '1' ? 'profit-and-loss' : 'unknown',
      active: r.LCCD !== '1',
      costCenterRequired: r.ACR2 === '1',
    }));
  }

  async costCenters(): Promise<CostCenter[]> {
    return (await this.identities(2)).map((r) => ({ code: r.AITM, description: r.TX40 ?? '', active: r.LCCD !== '1' }));
  }

  /** M3's identities carry no manager or dates; those stay null. */
  async projects(): Promise<Project[]> {
    return (await this.identities(3)).map((r) => ({
      number: r.AITM, description: r.TX40 ?? '', active: r.LCCD !== '1', manager: null, costCenter: null, startDate: null, endDate: null,
    }));
  }

  /** One dimension, a page at a time; LstAccountID starts at AITM itself, so the previous last comes again. */
  private async identities(aitp: number): Promise<Identity[]> {
    const out: Identity[] = [];
    let from: string | null = null;
    for (;;) {
      const records = await this.m3.read('CRS630MI', 'LstAccountID', { AITP: aitp, AITM: from }, { maxrecs: PAGE, what: 'listing accounting identities' });
      const page = readRecords(identity, records, 'CRS630MI/LstAccountID').filter((r) => from === null || r.AITM > from);
      out.push(...page);
      if (records.length < PAGE || page.length === 0) return out;
      from = page.at(-1)!.AITM;
    }
  }
}
