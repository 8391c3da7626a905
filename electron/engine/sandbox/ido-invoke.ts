import { z } from 'zod';
import type { Row } from './ido-filter';
import { accountProblem, blank, periodProblem, same } from './ido-rules';
import { idoSchemas } from './ido-schema';
import type { IdoTables } from './ido-tables';

// POST /invoke/{ido}?method=Name: IDO methods. The ones here check what single-row saves cannot: a journal
// batch must balance before it posts, and a voucher's distributions must add up to its amount. Like
// CloudSuite's stored procedures, each takes an Infobar output parameter (the last one) that carries the
// message back, and returns 0 on success and 16 on failure.

export const InvokeBody = z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]));

export interface InvokeResult {
  Success: boolean;
  Message: string | null;
  ReturnValue: string | null;
  Parameters: (string | null)[] | null;
}

type Outcome = { ok: true; infobar: string } | { ok: false; message: string };
type Method = (tables: IdoTables, params: (string | null)[]) => Outcome;

const cents = (v: string | null | undefined): number => Math.round(Number(v ?? 0) * 100);
const money = (c: number): string => (Math.abs(c) / 100).toFixed(2);

/** PostJournalBatch(Ref, Infobar): posts the unposted SLJournals lines with that Ref if they sum to zero. */
const postJournalBatch: Method = (tables, [ref]) => {
  if (blank(ref)) return { ok: false, message: 'A journal reference (Ref) is required.' };
  const lines = tables.rows('SLJournals').filter((j) => same(j.Ref, ref) && j.Posted !== '1');
  if (lines.length === 0) return { ok: false, message: `No unposted journal lines have reference '${ref}'.` };
  for (const line of lines) {
    // Checked again at posting: a period may have closed, or an account gone inactive, since the line was saved.
    const problem = accountProblem(tables, line.Acct, line.AcctUnit1) ?? periodProblem(tables, line.TransDate, `journal line ${line.JournalId}/${line.Seq}`);
    if (problem) return { ok: false, message: `Journal batch '${ref}' cannot be posted: ${problem}` };
  }
  const total = lines.reduce((sum, l) => sum + cents(l.DomAmount), 0);
  if (total !== 0) return { ok: false, message: `Journal batch '${ref}' is out of balance by ${money(total)} (${total > 0 ? 'debits' : 'credits'} exceed ${total > 0 ? 'credits' : 'debits'}).` };
  for (const line of lines) tables.update('SLJournals', line.RowPointer!, { Posted: '1' });
  return { ok: true, infobar: `${lines.length} journal lines with reference '${ref}' were posted.` };
};

/** PostVoucher(VendNum, Voucher, Infobar): posts an entered voucher whose distributions total its amount. */
const postVoucher: Method = (tables, [vendNum, voucherNo]) => {
  const voucher: Row | undefined = tables.find('SLAptrxs', (v) => same(v.VendNum, vendNum) && v.Voucher === String(Number(voucherNo)));
  if (!voucher) return { ok: false, message: `Voucher ${voucherNo ?? '(blank)'} of vendor ${vendNum ?? '(blank)'} does not exist.` };
  if (voucher.Stat === 'P') return { ok: false, message: `Voucher ${voucher.Voucher} is already posted.` };
  const period = periodProblem(tables, voucher.DistDate ?? voucher.InvDate, `voucher ${voucher.Voucher}`);
  if (period) return { ok: false, message: period };
  const dists = tables.rows('SLAptrxds').filter((d) => same(d.VendNum, voucher.VendNum) && d.Voucher === voucher.Voucher);
  if (dists.length === 0) return { ok: false, message: `Voucher ${voucher.Voucher} has no distributions.` };
  for (const d of dists) {
    const problem = accountProblem(tables, d.Acct, d.AcctUnit1);
    if (problem) return { ok: false, message: `Voucher ${voucher.Voucher}, distribution ${d.DistSeq}: ${problem}` };
  }
  const diff = dists.reduce((s, d) => s + cents(d.Amount), 0) - cents(voucher.InvAmt);
  if (diff !== 0) {
    return { ok: false, message: `Voucher ${voucher.Voucher} is out of balance by ${money(diff)}: its distributions total ${money(cents(voucher.InvAmt) + diff)}, the invoice amount is ${money(cents(voucher.InvAmt))}.` };
  }
  tables.update('SLAptrxs', voucher.RowPointer!, { Stat: 'P' });
  return { ok: true, infobar: `Voucher ${voucher.Voucher} was posted.` };
};

/** Methods per IDO, with their parameter count (the Infobar included, last). */
const METHODS: Record<string, Record<string, { arity: number; run: Method }>> = {
  SLJournals: { PostJournalBatch: { arity: 2, run: postJournalBatch } },
  SLAptrxs: { PostVoucher: { arity: 3, run: postVoucher } },
};

export function invoke(tables: IdoTables, ido: string, method: string | undefined, rawBody: unknown): { status: 200 | 400; body: InvokeResult } {
  const refuse = (Message: string, status: 200 | 400 = 200) => ({ status, body: { Success: false, Message, ReturnValue: null, Parameters: null } });
  if (!idoSchemas[ido]) return refuse(`The IDO '${ido}' could not be found.`);
  const entry = Object.entries(METHODS[ido] ?? {}).find(([name]) => name.toLowerCase() === (method ?? '').toLowerCase());
  if (!entry) return refuse(`The method '${method ?? ''}' was not found on IDO '${ido}'.`);
  const parsed = InvokeBody.safeParse(rawBody ?? []);
  if (!parsed.success) return refuse('The request body must be a JSON array of method parameters.', 400);
  const params = parsed.data.map((p) => (p === null ? null : typeof p === 'boolean' ? (p ? '1' : '0') : String(p)));
  const { arity, run } = entry[1];
  const outcome = run(tables, params);
  // Parameters come back with the Infobar (the method's last parameter) filled in, as output parameters do.
  const out = [...params];
  while (out.length < arity) out.push(null);
  out[arity - 1] = outcome.ok ? outcome.infobar : outcome.message;
  return outcome.ok
    ? { status: 200, body: { Success: true, Message: null, ReturnValue: '0', Parameters: out } }
    : { status: 200, body: { Success: false, Message: outcome.message, ReturnValue: '16', Parameters: out } };
}
