import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_MAXRECS, envelope, execute, findTransaction, type OutputOptions, type TxResult } from './execute';
import type { M3Record, TxContext } from './types';

// m3api-rest v2 behind the ION gateway (gateway.ts has checked tenant, token and quota):
//   GET  {gateway}/{tenant}/M3/m3api-rest/v2/execute/{PROGRAM}/{TRANSACTION}[;maxrecs=N][;returncols=A,B]?FIELD=…
//   POST {gateway}/{tenant}/M3/m3api-rest/v2/execute  { program, cono, divi, maxReturnedRecords, excludeEmptyValues,
//        transactions: [ { transaction, record, selectedColumns } ] }
// maxrecs/returncols are matrix parameters on the transaction segment in m3api-rest v2; the sandbox also takes
// them as query parameters. maxrecs defaults to 100, 0 = all. Refusals are HTTP 200 with errorMessage and
// nrOfFailedTransactions; a GET naming a program or transaction M3 does not have is HTTP 400, which is what
// tenants have been seen to answer (a client must treat any non-2xx as a failure, whatever the body says).

const BASE = '/:tenant/M3/m3api-rest/v2/execute';
const CONTROL = new Set(['maxrecs', 'returncols']);

const bulkBody = z.object({
  program: z.string().min(1),
  cono: z.union([z.string(), z.number()]).optional(),
  divi: z.string().optional(),
  maxReturnedRecords: z.number().int().min(0).optional(),
  excludeEmptyValues: z.boolean().optional(),
  transactions: z
    .array(
      z.object({
        transaction: z.string().min(1),
        record: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
        selectedColumns: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

const badRequest = (message: string) => ({ code: 400, message });

function parseMaxrecs(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return DEFAULT_MAXRECS;
  return /^\d{1,7}$/.test(raw) ? Number(raw) : null;
}

const columns = (raw: string | undefined): string[] | null => (raw ? raw.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean) : null);

export function registerM3Routes(app: FastifyInstance, contextOf: (tenant: string) => TxContext | undefined): void {
  app.get<{ Params: { tenant: string; program: string; transaction: string }; Querystring: Record<string, string | string[] | undefined> }>(
    `${BASE}/:program/:transaction`,
    async (req, reply) => {
      const ctx = contextOf(req.params.tenant);
      if (!ctx) return reply.code(404).send(badRequest(`Unknown tenant '${req.params.tenant}'`));
      const [transaction = '', ...matrix] = req.params.transaction.split(';');
      const control = new Map<string, string>();
      for (const m of matrix) {
        const i = m.indexOf('=');
        if (i > 0) control.set(m.slice(0, i).toLowerCase(), m.slice(i + 1));
      }
      const input: M3Record = {};
      for (const [k, v] of Object.entries(req.query)) {
        const value = Array.isArray(v) ? v[0] : v;
        if (value === undefined) continue;
        if (CONTROL.has(k.toLowerCase())) control.set(k.toLowerCase(), value);
        else input[k] = value;
      }
      const maxrecs = parseMaxrecs(control.get('maxrecs'));
      if (maxrecs === null) return reply.code(400).send(badRequest(`maxrecs '${control.get('maxrecs') ?? ''}' is not a number`));
      const { program } = req.params;
      if (!findTransaction(program, transaction)) {
        return reply.code(400).send(badRequest(`Transaction ${program}/${transaction} does not exist`));
      }
      return envelope([execute(program, transaction, input, ctx, { maxrecs, returncols: columns(control.get('returncols')) })]);
    },
  );

  app.post<{ Params: { tenant: string } }>(BASE, async (req, reply) => {
    const ctx = contextOf(req.params.tenant);
    if (!ctx) return reply.code(404).send(badRequest(`Unknown tenant '${req.params.tenant}'`));
    const parsed = bulkBody.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send(badRequest(`Invalid request body at '${issue.path.join('.')}': ${issue.message}`));
    }
    const body = parsed.data;
    const results: TxResult[] = body.transactions.map((t) => {
      const input: M3Record = {};
      if (body.cono !== undefined) input.CONO = String(body.cono);
      if (body.divi) input.DIVI = body.divi;
      for (const [k, v] of Object.entries(t.record ?? {})) if (v !== null) input[k] = String(v);
      const out: OutputOptions = { maxrecs: body.maxReturnedRecords ?? DEFAULT_MAXRECS, returncols: t.selectedColumns?.map((c) => c.toUpperCase()) ?? null };
      const result = execute(body.program, t.transaction, input, ctx, out);
      if (body.excludeEmptyValues) result.records = result.records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
      return result;
    });
    return envelope(results);
  });
}
