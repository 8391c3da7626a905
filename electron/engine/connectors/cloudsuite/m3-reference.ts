import type { CostCenter, GlAccount, Project } from '../../../../shared/domain';
import type { M3Client } from './m3-client';
import { key, outputs, text } from './m3-fields';

// Reference data in CloudSuite M3: the accounting identities of CRS630MI (LstAccountID). Dimension 1 is the
// account, 2 the cost center, 3 the project; LCCD 1 means blocked. For accounts, AT01/AT02 say balance sheet
// or profit and loss, and ACR2 is the control rule for dimension 2 (1 = a cost center is required). The
// contract has the fields; these codes are M3's as Ferry reads them, not published with them.

const identity = outputs('CRS630MI', 'LstAccountID', { AITM: key, TX40: text, LCCD: text, AT01: text, AT02: text, ACR2: text });
type Identity = ReturnType<typeof identity.read>[number];

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

  /** One dimension, a page at a time from the last identity on (LstAccountID starts at AITM itself). */
  private async identities(aitp: number): Promise<Identity[]> {
    return identity.read(await this.m3.listAll('CRS630MI', 'LstAccountID', { AITP: aitp }, 'AITM', { what: 'listing accounting identities' }));
  }
}
