import { type Command, InvalidArgumentError } from 'commander';
import { FlowName, flowNames, type PeriodFix } from '../../shared/api';
import { isoDay } from './mapping/periods';
import { periodFixFor } from './sync/failure-triage';
import { postInOpenPeriod } from './sync/posting-period';
import type { RunOptions } from './sync/runner';
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

function failureLine(f: Failure, periodFix: PeriodFix | null): string {
  const when = f.state === 'retrying' && f.nextAttemptAt ? `retrying (attempt ${f.attempts}, next ${f.nextAttemptAt.slice(11, 16)} UTC)` : `${f.state} after ${f.attempts} attempt(s)`;
  const hint = periodFix ? `\n        To post it in ${periodFix.openPeriod} (dated ${periodFix.postingDate}): ferry replay ${f.id} --post-in-open-period` : '';
  return `#${String(f.id).padEnd(5)} ${f.flow.padEnd(16)} ${(f.recordType ?? 'record')} ${f.sourceKey}  ${when}\n        ${f.reason}${hint}`;
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
        const today = isoDay(engine.clock());
        const fixOf = (f: Failure) => (f.state === 'open' || f.state === 'retrying' ? periodFixFor(f, today) : null);
        if (o.json) json({ failures: failures.map((f) => ({ ...f, periodFix: fixOf(f) })) });
        else if (failures.length === 0) out('Nothing is waiting: every record went through.');
        else failures.forEach((f) => out(failureLine(f, fixOf(f))));
      });
    });

  program
    .command('replay')
    .description('send failed records again through the current mappings (IDs from "ferry failures")')
    .argument('[ids...]', 'failure numbers')
    .option('--all', 'every waiting failure (of --flow, if given)')
    .option('--flow <name>', 'with --all: only this flow', flowOption)
    .option('--post-in-open-period', 'for one record refused because its fiscal period is closed: post it in the open period "ferry failures" names')
    .option('--json', 'print one JSON object')
    .action(async (ids: string[], o: { all?: boolean; flow?: FlowName; postInOpenPeriod?: boolean; json?: boolean }) => {
      if ((ids.length === 0) === !o.all) throw new ExitError(2, 'Name the failures to replay (e.g. "ferry replay 12 15"), or use --all.');
      if (o.postInOpenPeriod && (o.all || ids.length !== 1)) throw new ExitError(2, '--post-in-open-period moves one record at a time: name one failure (e.g. "ferry replay 12 --post-in-open-period").');
      const numbers = ids.map((id) => {
        const n = Number(id.replace(/^#/, ''));
        if (!Number.isInteger(n) || n < 1) throw new ExitError(2, `"${id}" is not a failure number; see "ferry failures".`);
        return n;
      });
      await withEngine(globals(), async (engine) => {
        const run = (flow: FlowName, opts: RunOptions) => engine.runFlow(flow, opts);
        const moved = o.postInOpenPeriod ? await postInOpenPeriod(engine.profile, run, numbers[0]!, engine.clock()) : null;
        const result = moved ?? (await replay(engine.profile, run, { ids: numbers, all: o.all, flow: o.flow }));
        if (o.json) json(result);
        else {
          if (moved) out(`Failure #${numbers[0]} posts in the open period ${moved.openPeriod}, dated ${moved.postingDate} (the choice is in the audit trail).`);
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
