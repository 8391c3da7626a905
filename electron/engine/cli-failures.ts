import { type Command, InvalidArgumentError } from 'commander';
import { FlowName, flowNames } from '../../shared/api';
import { ExitError, json, out, withEngine, type Globals } from './cli-support';
import { runLine } from './cli-output';
import { listFailures, type Failure } from './store/failures';
import { ignore, replay } from './sync/failures-service';

// `ferry failures`, `ferry replay`, `ferry ignore`: the failures queue from a terminal.

const flowOption = (v: string) => {
  const r = FlowName.safeParse(v);
  if (!r.success) throw new InvalidArgumentError(`there is no flow "${v}"; the flows are: ${flowNames.join(', ')}.`);
  return r.data;
};

function failureLine(f: Failure): string {
  const when = f.state === 'retrying' && f.nextAttemptAt ? `retrying (attempt ${f.attempts}, next ${f.nextAttemptAt.slice(11, 16)} UTC)` : `${f.state} after ${f.attempts} attempt(s)`;
  return `#${String(f.id).padEnd(5)} ${f.flow.padEnd(16)} ${(f.recordType ?? 'record')} ${f.sourceKey}  ${when}\n        ${f.reason}`;
}

export function registerFailureCommands(program: Command, globals: () => Globals): void {
  program
    .command('failures')
    .description('records waiting in the failures queue, with the reason')
    .option('--flow <name>', 'only this flow', flowOption)
    .option('--all', 'also resolved, replayed and ignored ones')
    .option('--json', 'print one JSON object')
    .action(async (o: { flow?: FlowName; all?: boolean; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const failures = listFailures(engine.profile.db, { flow: o.flow, states: o.all ? ['retrying', 'open', 'resolved', 'replayed', 'ignored'] : undefined });
        if (o.json) json({ failures });
        else if (failures.length === 0) out('Nothing is waiting: every record went through.');
        else failures.forEach((f) => out(failureLine(f)));
      });
    });

  program
    .command('replay')
    .description('send failed records again through the current mappings (IDs from "ferry failures")')
    .argument('[ids...]', 'failure numbers')
    .option('--all', 'every waiting failure (of --flow, if given)')
    .option('--flow <name>', 'with --all: only this flow', flowOption)
    .option('--json', 'print one JSON object')
    .action(async (ids: string[], o: { all?: boolean; flow?: FlowName; json?: boolean }) => {
      if ((ids.length === 0) === !o.all) throw new ExitError(2, 'Name the failures to replay (e.g. "ferry replay 12 15"), or use --all.');
      const numbers = ids.map((id) => {
        const n = Number(id.replace(/^#/, ''));
        if (!Number.isInteger(n) || n < 1) throw new ExitError(2, `"${id}" is not a failure number; see "ferry failures".`);
        return n;
      });
      await withEngine(globals(), async (engine) => {
        const result = await replay(engine.profile, (flow, opts) => engine.runFlow(flow, opts), { ids: numbers, all: o.all, flow: o.flow });
        if (o.json) json(result);
        else {
          if (result.replayed === 0) out('Nothing was waiting to replay.');
          result.runs.forEach((r) => out(runLine(r)));
        }
        if (result.runs.some((r) => r.outcome === 'failed')) throw new ExitError(1, 'A replay run could not run (see above).');
      });
    });

  program
    .command('ignore')
    .description('take a failure out of the queue, with a reason kept in the audit trail')
    .argument('<id>', 'the failure number')
    .requiredOption('--reason <text>', 'why it is ignored (kept in the audit trail)')
    .action(async (id: string, o: { reason: string }) => {
      const n = Number(id.replace(/^#/, ''));
      if (!Number.isInteger(n) || n < 1) throw new ExitError(2, `"${id}" is not a failure number; see "ferry failures".`);
      if (o.reason.trim().length < 3) throw new ExitError(2, 'Say why it is ignored (at least 3 characters): the reason stays in the audit trail.');
      await withEngine(globals(), async (engine) => {
        const f = ignore(engine.profile, n, o.reason.trim());
        out(`Failure #${f.id} (${f.recordType ?? 'record'} ${f.sourceKey}) ignored: ${o.reason.trim()}`);
      });
    });
}
