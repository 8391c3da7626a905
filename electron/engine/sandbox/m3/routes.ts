import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAXRECS, envelope, execute, requestProblem, terminated } from './execute';
import { M3_COMPANY, M3_DIVISION, M3Error, type M3Record, type TxContext } from './types';

// m3api-rest v2 behind the ION gateway (gateway.ts has checked tenant, token and quota), as the contract's
// endpoint section has it:
//   GET {gateway}/{tenant}/M3/m3api-rest/v2/execute/{PROGRAM}/{TRANSACTION}[;maxrecs=N][;returncols=A,B][;cono=C][;divi=D]?FIELD=…
// Options are matrix parameters on the transaction segment only: a maxrecs in the query is an input field the
// transaction does not have. maxrecs defaults to 100, 0 = all. What the program refuses is HTTP 200 with the
// error in results[0]; a request that cannot run at all (unknown program, transaction, input field or option,
// another company) is HTTP 400 with the error at the top level, both shapes the contract names. There is no
// bulk POST: no public source describes one.

const BASE = '/:tenant/M3/m3api-rest/v2/execute';
/** The matrix parameters Infor's SDK sends (ODIN runtime.ts createUrl); metadata is accepted and has no effect here. */
const OPTIONS = new Set(['maxrecs', 'returncols', 'cono', 'divi', 'metadata', 'excludempty']);

const invalid = (message: string, field: string | null = null) => new M3Error(message, field, 'XRQ0204', 'InvalidRequest');

export function registerM3Routes(app: FastifyInstance, contextOf: (tenant: string) => TxContext | undefined): void {
  app.get<{ Params: { tenant: string; program: string; transaction: string }; Querystring: Record<string, string | string[] | undefined> }>(
    `${BASE}/:program/:transaction`,
    async (req, reply) => {
      const ctx = contextOf(req.params.tenant);
      if (!ctx) return reply.code(404).send({ code: 404, message: `Unknown tenant '${req.params.tenant}'` });
      const [transaction = '', ...matrix] = req.params.transaction.split(';');
      const options = new Map<string, string>();
      for (const m of matrix) {
        const i = m.indexOf('=');
        const name = (i > 0 ? m.slice(0, i) : m).toLowerCase();
        if (!OPTIONS.has(name)) return reply.code(400).send(terminated(invalid(`Matrix parameter ${name} is not supported`)));
        options.set(name, i > 0 ? decodeURIComponent(m.slice(i + 1)) : '');
      }
      const input: M3Record = {};
      for (const [k, v] of Object.entries(req.query)) {
        const value = Array.isArray(v) ? v[0] : v;
        if (value !== undefined) input[k] = value;
      }
      const maxrecs = options.get('maxrecs') ?? String(DEFAULT_MAXRECS);
      if (!/^\d{1,7}$/.test(maxrecs)) return reply.code(400).send(terminated(invalid(`maxrecs '${maxrecs}' is not a number`)));
      const cono = options.get('cono');
      if (cono !== undefined && cono !== M3_COMPANY) return reply.code(400).send(terminated(new M3Error(`Not authorized for company ${cono}`, 'CONO', 'XAU0008', 'InvalidRequest')));
      const divi = options.get('divi');
      if (divi && divi !== M3_DIVISION) return reply.code(400).send(terminated(new M3Error(`Division ${divi} does not exist`, 'DIVI', 'WDI0203', 'InvalidRequest')));
      const returncols = options.get('returncols')?.split(',').map((c) => c.trim()).filter(Boolean) ?? null;
      const { program } = req.params;
      const problem = requestProblem(program, transaction, input, returncols);
      if (problem) return reply.code(400).send(terminated(problem));
      return envelope([execute(program, transaction, input, ctx, { maxrecs: Number(maxrecs), returncols, excludeEmpty: options.get('excludempty') === 'true' })]);
    },
  );
}
