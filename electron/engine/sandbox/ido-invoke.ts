import crypto from 'node:crypto';
import { z } from 'zod';
import { idoMethodContract } from '../contracts/cloudsuite';
import { accountProblem, isJournal, periodOfDate, postJournal, postVoucher, same } from './books';
import { toTime } from './ido-filter';
import { idoSchemas } from './ido-schema';
import { nextVoucher } from './ido-rules';
import type { IdoTables } from './ido-tables';

// POST /invoke/{ido}?method=Name: the IDO methods of Ferry's contract, with the parameters the contract lists
// (its public source is the product's own extension classes). As CloudSuite's methods do, each returns a
// severity — 0 when it worked, 16 when it did not — with the reason in its Infobar output parameter, and the
// call itself still succeeds (Success: true). Success: false is for the call: an unknown IDO or method, or
// the wrong number of parameters. A method the contract has but the sandbox does not simulate says so.

export const InvokeBody = z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]));

export interface InvokeResult {
  Success: boolean;
  Message: string | null;
  ReturnValue: string | null;
  Parameters: (string | null)[] | null;
}

type Params = (string | null)[];
/** A method's outcome: its severity, and its output parameters by name (the Infobar among them). */
type Outcome = { severity: 0 | 16; out?: Record<string, string | null> };
type Method = (tables: IdoTables, p: Record<string, string | null>) => Outcome;

const fail = (infobar: string): Outcome => ({ severity: 16, out: { Infobar: infobar } });
const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

/** Dates arrive as the client writes them (yyyyMMdd HH:mm:ss.fff, or ISO): the stored IDO form, or null. */
function idoDay(value: string | null | undefined): string | null {
  if (blank(value)) return null;
  const t = toTime(value!);
  if (Number.isNaN(t)) return null;
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)} 00:00:00.000`;
}

const METHODS: Record<string, Record<string, Method>> = {
  SLAptrxs: {
    AptrxGetVoucherNoSp: (tables) => ({ severity: 0, out: { RVoucher: nextVoucher(tables), RRef: null, Infobar: null } }),
    AptrxpSp: (tables, p) => {
      const voucher = tables.find('SLAptrxs', (v) => same(v.VendNum, p.PVendNum) && v.Voucher === String(Number(p.PVoucher)));
      if (!voucher) return fail(`Voucher ${p.PVoucher ?? '(blank)'} of vendor ${p.PVendNum ?? '(blank)'} is not an entered voucher.`);
      const problem = postVoucher(tables, voucher);
      return problem ? fail(problem) : { severity: 0, out: { PostExtFin: '0', ExtFinOperationCounter: null, Infobar: null } };
    },
  },
  SLJournals: {
    GetJournalDefVarsSp: (tables, p) => {
      if (!isJournal(p.PId)) return { severity: 16 };
      const day = idoDay(p.PDate);
      const period = day ? periodOfDate(tables, day) : undefined;
      if (!period) return { severity: 16 };
      const out: Record<string, string | null> = { DefPrefix: 'FRY', DefSite: 'FERRY', DefFiscalYear: period.FiscalYear ?? null, DefPeriod: period.Period ?? null, DefNumber: null };
      if (p.GetNewNumber === '1') {
        const used = [...tables.rows('SLJournals'), ...tables.rows('SLLedgers')].filter((r) => r.ControlYear === period.FiscalYear && r.ControlPeriod === period.Period);
        out.DefNumber = String(used.reduce((m, r) => Math.max(m, Number(r.ControlNumber) || 0), 0) + 1);
      }
      return { severity: 0, out };
    },
    ImportJournalEntriesSp: (tables, p) => {
      const day = idoDay(p.PTransactionDate);
      const amount = Number(p.PDomAmount);
      if (!day || !isJournal(p.JournalID) || !Number.isFinite(amount) || blank(p.PControlYear) || blank(p.PControlPeriod) || blank(p.PControlNumber)) return { severity: 16 };
      if (accountProblem(tables, p.PAcct, p.PAcctUnit1)) return { severity: 16 };
      const seq = tables.rows('SLJournals').filter((j) => same(j.Id, p.JournalID)).reduce((m, j) => Math.max(m, Number(j.Seq) || 0), 0) + 1;
      tables.insert('SLJournals', {
        Id: p.JournalID ?? null, Seq: String(seq), TransDate: day, Acct: p.PAcct ?? null, AcctUnit1: p.PAcctUnit1 || null, AcctUnit2: p.PAcctUnit2 || null,
        AcctUnit3: p.PAcctUnit3 || null, AcctUnit4: p.PAcctUnit4 || null, DomAmount: amount.toFixed(8), Ref: p.PRef ?? null, ControlPrefix: null,
        ControlSite: p.PControlSite ?? null, ControlYear: p.PControlYear ?? null, ControlPeriod: p.PControlPeriod ?? null, ControlNumber: p.PControlNumber ?? null,
      });
      return { severity: 0 };
    },
    GlPostSp3: (tables, p) => {
      if (blank(p.CurId)) return fail('A journal (CurId) is required.');
      if (!isJournal(p.CurId)) return fail(`Journal ${p.CurId} does not exist.`);
      const through = idoDay(p.PostThroughDate);
      const result = postJournal(tables, p.CurId!, through ? `${through.slice(0, 8)} 23:59:59.997` : null);
      return 'problem' in result ? fail(result.problem) : { severity: 0, out: { Infobar: `${result.posted} journal entries of '${p.CurId}' were posted.` } };
    },
  },
  SLPeriods: {
    DateChkSp: (tables, p) => {
      const day = idoDay(p.PDate);
      if (!day) return fail(`${p.FieldLabel || 'The date'} is not a date.`);
      const period = periodOfDate(tables, day);
      if (!period) return fail(`${p.FieldLabel || 'The date'} ${day.slice(0, 8)} is not in any accounting period.`);
      if (period.Stat !== 'O') return fail(`${p.FieldLabel || 'The date'} ${day.slice(0, 8)} is in accounting period ${period.Period} of fiscal year ${period.FiscalYear}, which is closed.`);
      return { severity: 0, out: { Infobar: null, PromptMsg: null, PromptButtons: null } };
    },
    PerGetSp: (tables, p) => {
      const day = idoDay(p.Date);
      const period = day ? periodOfDate(tables, day) : undefined;
      if (!period) return fail(`No accounting period covers ${day?.slice(0, 8) ?? 'that date'}.`);
      return {
        severity: 0,
        out: { CurrentPeriod: period.Period ?? null, PeriodsRowPointer: period.RowPointer ?? crypto.randomUUID(), Infobar: null, PeriodsFiscalYear: period.FiscalYear ?? null, CurPeriodStatus: period.Stat ?? null },
      };
    },
  },
};

export function invoke(tables: IdoTables, ido: string, method: string | undefined, rawBody: unknown): { status: 200 | 400; body: InvokeResult } {
  const refuse = (Message: string, status: 200 | 400 = 200) => ({ status, body: { Success: false, Message, ReturnValue: null, Parameters: null } });
  if (!idoSchemas[ido]) return refuse(`The IDO '${ido}' could not be found.`);
  const name = method ?? '';
  const contract = idoMethodContract(ido, name);
  if (!contract) return refuse(`The method '${name}' was not found on IDO '${ido}'.`);
  const parsed = InvokeBody.safeParse(rawBody ?? []);
  if (!parsed.success) return refuse('The request body must be a JSON array of method parameters.', 400);
  const params: Params = parsed.data.map((p) => (p === null ? null : typeof p === 'boolean' ? (p ? '1' : '0') : String(p)));
  if (params.length !== contract.parameters.length) {
    return refuse(`The method '${name}' takes ${contract.parameters.length} parameters; the request has ${params.length}.`);
  }
  const run = METHODS[ido]?.[name];
  if (!run) return refuse(`The sandbox does not simulate ${ido}.${name}.`);
  const byName = Object.fromEntries(contract.parameters.map((p, i) => [p.name, params[i] ?? null]));
  const outcome = run(tables, byName);
  // Parameters come back with the method's outputs filled in, as output parameters do; inputs as sent.
  const Parameters = contract.parameters.map((p, i) => (p.direction === 'inout' && outcome.out && p.name in outcome.out ? (outcome.out[p.name] ?? null) : (params[i] ?? null)));
  return { status: 200, body: { Success: true, Message: null, ReturnValue: String(outcome.severity), Parameters } };
}

