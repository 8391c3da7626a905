import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { integer, opt, parse } from '../fields';
import { DIMENSIONS } from '../ledger';
import { M3_COMPANY, M3_DIVISION, type M3Record, type Program } from '../types';

// CRS630MI LstAccountID, accounting identities: the valid values of one accounting dimension AITP — 1 accounts
// (SLCharts), 2 cost centers (SLUnitcd1s), 3 projects (SLProjs); 4–7 are not in use and list nothing.
//
// Out: AITP, AITM, TX40 (description), TX15 (short name), LCCD (1 = blocked); for accounts also AT01 (1 = balance
// sheet account), AT02 (1 = profit and loss account) and ACR2/ACR3, the sandbox's reading of the accounting
// control rule for dimensions 2 and 3: 1 = mandatory, 0 = optional, 2 = not permitted. The codes are the
// sandbox's reading; the contract gives the fields, not their values.

const ACR: Record<string, string> = { R: '1', A: '0', N: '2' };

const dimension = integer(1).refine((n) => n >= 1 && n <= 7);
const lstAccountId = z.object({ AITP: dimension, AITM: opt(10) });

function identity(aitp: number, row: Row): M3Record {
  const desc = (row.Description ?? row.ProjDesc ?? '').trimEnd();
  const rec: M3Record = {
    CONO: M3_COMPANY, DIVI: M3_DIVISION, AITP: String(aitp), AITM: row[DIMENSIONS[aitp]!.key] ?? '', TX40: desc.slice(0, 40), TX15: desc.slice(0, 15),
    LCCD: aitp === 1 ? (row.ObsDate ? '1' : '0') : aitp === 3 ? (row.Stat === 'A' ? '0' : '1') : '0',
  };
  if (aitp === 1) {
    rec.AT01 = row.Type === 'A' || row.Type === 'L' ? '1' : '0';
    rec.AT02 = row.Type === 'E' || row.Type === 'R' ? '1' : '0';
    rec.ACR2 = ACR[row.AccessUnit1 ?? 'N'] ?? '2';
    rec.ACR3 = '0';
  }
  return rec;
}

function identities(ido: IdoTables, aitp: number): M3Record[] {
  const dim = DIMENSIONS[aitp];
  if (!dim) return [];
  return ido
    .rows(dim.ido)
    .map((r) => identity(aitp, r))
    .sort((a, b) => (a.AITM! < b.AITM! ? -1 : a.AITM! > b.AITM! ? 1 : 0));
}

export const CRS630MI: Program = {
  /** Identities of one dimension, from AITM on when given. */
  LstAccountID: (input, { ido }) => {
    const { AITP, AITM = '' } = parse(lstAccountId, input);
    return identities(ido, AITP).filter((r) => r.AITM! >= AITM);
  },
};
