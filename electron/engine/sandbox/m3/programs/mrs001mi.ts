import { z } from 'zod';
import { m3Contract } from '../../../contracts/cloudsuite';
import { doesNotExist, parse, req } from '../fields';
import type { Program } from '../types';

// MRS001MI LstTransactions: the transactions of one MI program, which in the sandbox are exactly the ones the
// contract publishes (contracts/cloudsuite-m3.json) and execute.ts serves.

const byProgram = z.object({ MINM: req(10) });

export const MRS001MI: Program = {
  LstTransactions: (input) => {
    const { MINM } = parse(byProgram, input);
    const program = (m3Contract.programs as Record<string, { transactions: Record<string, { description: string }> } | undefined>)[MINM];
    if (!program) throw doesNotExist('MINM', MINM, 'Program');
    return Object.entries(program.transactions).map(([TRNM, t]) => ({ MINM, TRNM, TRDS: t.description }));
  },
};
