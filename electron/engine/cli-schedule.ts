import { type Command, InvalidArgumentError } from 'commander';
import { FlowName, flowNames, type RunListItem, type Schedule } from '../../shared/api';
import { toErrorInfo } from '../../shared/errors';
import { countsLine, progressPrinter } from './cli-output';
import { ExitError, json, out, positiveInt, withEngine, type Globals } from './cli-support';
import { listRuns } from './store/runs';
import { listSchedules, setSchedule } from './sync/schedule';
import { durationWords, explainNext, formatWhen } from './sync/schedule-spec';
import { startReceiverForHost } from './sync/webhook-receiver-host';
import { Scheduler, type SchedulerEvent } from './sync/scheduler';

// `ferry schedule …`, `ferry runs` and `ferry sync` without --once (the scheduler until stopped).

const flowArg = (v: string): FlowName => {
  const r = FlowName.safeParse(v);
  if (!r.success) throw new InvalidArgumentError(`there is no flow "${v}"; the flows are: ${flowNames.join(', ')}.`);
  return r.data;
};

/** "2026-11-21 15:07:02" in this computer's time: what a person compares with the clock on the wall. */
function localStamp(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const nextWords = (nextRunAt: string | null) => (nextRunAt ? explainNext(new Date(nextRunAt), new Date()) : 'no next run');

function scheduleLines(s: Schedule): string {
  if (!s.scheduled) return `${s.flow}: not scheduled (runs only when started by hand)`;
  const last = s.lastRun ? `${formatWhen(new Date(s.lastRun.startedAt))}: ${s.lastRun.outcome}, ${countsLine(s.lastRun.counts)}` : 'never';
  return [`${s.flow}: ${s.description}${s.paused ? ' — PAUSED' : ''}`, `  ${s.nextRun}`, `  last run ${last}`].join('\n');
}

/** One line per scheduled run, so a log of `ferry sync` reads like a diary. */
function eventLine(e: SchedulerEvent): string {
  const now = localStamp(new Date().toISOString());
  if (e.type === 'clock') {
    return `${now}  ${e.jumpMs > 0 ? `The clock jumped ${durationWords(e.jumpMs)} ahead (the computer slept?): missed runs run once now.` : `The clock was set back ${durationWords(-e.jumpMs)}: next runs are counted again.`}`;
  }
  const next = nextWords(e.nextRunAt);
  if (e.type === 'skipped') return `${now}  ${e.flow}: skipped, ${e.reason}; ${next}`;
  if (e.type === 'error') return `${now}  ${e.flow}: could not start: ${e.message}; ${next}`;
  const r = e.run;
  const secs = r.finishedAt ? ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1) : '?';
  const what = r.outcome === 'failed' ? `could not run: ${r.error ?? 'unknown reason'}` : `${countsLine(r.counts)}${r.counts.failed > 0 ? ' (failed records wait in the failures queue)' : ''}`;
  return `${now}  ${r.flow}: ${what} (${r.requests} requests, ${secs} s); ${next}`;
}

function runsTable(runs: RunListItem[]): string {
  if (runs.length === 0) return 'No runs yet.';
  const head = ['Started', 'Ended', 'Flow', 'Outcome', 'Created', 'Updated', 'Unchanged', 'Skipped', 'Failed', 'Requests', 'Waited', 'By'];
  const rows = runs.map((r) => [
    localStamp(r.startedAt),
    r.finishedAt ? localStamp(r.finishedAt).slice(11) : 'running',
    r.flow,
    r.outcome,
    ...[r.counts.created, r.counts.updated, r.counts.unchanged, r.counts.skipped, r.counts.failed, r.requests].map(String),
    durationWords(r.waitedMs),
    r.trigger,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const errors = runs.filter((r) => r.error).map((r) => `  ${localStamp(r.startedAt)} ${r.flow}: ${r.error}`);
  return [`Times are this computer's (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`, fmt(head), ...rows.map(fmt), ...(errors.length ? ['Why runs stopped:', ...errors] : [])].join('\n');
}

/**
 * `ferry sync` without --once: runs the scheduled flows until Ctrl+C, SIGTERM or the parent process ends, one
 * line per run. A first signal lets the run in progress finish; a second one ends the process at once.
 */
export async function syncOnSchedule(g: Globals, o: { flow?: FlowName; json?: boolean }, untilSignal: () => Promise<void>): Promise<void> {
  await withEngine(g, async (engine, dataDir) => {
    const flows: FlowName[] = o.flow ? [o.flow] : [...flowNames];
    const schedules = listSchedules(engine.profile.db).filter((s) => s.scheduled && flows.includes(s.flow));
    if (schedules.length === 0) {
      const flow = o.flow ?? flowNames[0];
      const who = o.flow ? `${o.flow} has` : 'No flow has';
      throw new ExitError(2, `${who} a schedule yet: set one with "ferry schedule set ${flow} --preset business-hours", or run once now with "ferry sync --once".`);
    }
    const progress = progressPrinter(process.stderr);
    const stopProgress = engine.onProgress(progress.update);
    let runs = 0;
    const scheduler = new Scheduler(engine, {
      flows,
      onEvent: (e) => {
        progress.done();
        if (e.type === 'run') runs += 1;
        if (!o.json) return out(eventLine(e));
        if (e.type === 'run') json({ event: 'run', ...e.run, nextRunAt: e.nextRunAt });
        else {
          const { type, ...rest } = e;
          json({ event: type, ...rest });
        }
      },
    });
    if (o.json) json({ event: 'started', dataDir, profile: engine.profile.name, schedules });
    else {
      out(`Ferry is syncing on schedule (profile ${engine.profile.name}, data in ${dataDir}). Press Ctrl+C to stop.`);
      for (const s of schedules) out(`  ${s.flow}: ${s.description}${s.paused ? ' — PAUSED' : ''}; ${s.nextRun}`);
    }
    // The scheduler's timers are unref'd so that a host app can always exit; this command lives until told to.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    scheduler.start();
    // Jira webhooks, where the profile set an address Jira can reach: each delivery runs worklog-to-gl early.
    const receiver = await startReceiverForHost(engine, (flow) => void scheduler.runNow(flow)).catch((err: unknown) => {
      engine.log.warn({ err: toErrorInfo(err) }, 'the Jira webhook receiver could not start; Ferry polls Jira instead');
      if (!o.json) out(`Jira webhooks: the receiver could not start (${toErrorInfo(err).message}); Ferry polls Jira on its schedule instead.`);
      return null;
    });
    if (receiver && !o.json) out(`Jira webhooks: receiving at ${receiver.url}; polling stays on as the source of truth.`);
    try {
      await untilSignal();
    } finally {
      clearInterval(keepAlive);
      await receiver?.close();
    }
    if (scheduler.busy.length > 0 && !o.json) process.stderr.write(`Stopping once ${scheduler.busy.join(', ')} has finished its run…\n`);
    await scheduler.stop();
    stopProgress();
    progress.done();
    if (o.json) json({ event: 'stopped', runs });
    else out(`Stopped after ${runs} run${runs === 1 ? '' : 's'}.`);
  });
}

export function registerScheduleCommands(program: Command, globals: () => Globals): void {
  const schedule = program.command('schedule').description('when flows run by themselves (while "ferry sync" or the app is running)');

  schedule
    .command('set')
    .description('set when a flow runs: a cron expression, a preset or an interval')
    .argument('<flow>', `the flow (${flowNames.join(', ')})`, flowArg)
    .argument('[cron...]', 'a cron expression in quotes, 5 fields or 6 with seconds, e.g. "*/15 7-18 * * 1-5"')
    .option('--preset <name>', 'business-hours (every 15 min 07:00–18:59 Mon–Fri), hourly, or nightly (02:30)')
    .option('--every <interval>', 'an interval such as 15m or 2h (seconds, e.g. 10s, are meant for testing)')
    .option('--tz <zone>', "the time zone of a cron expression or preset, such as Europe/Berlin (default: this computer's)")
    .option('--json', 'print the schedule as one JSON object')
    .action(async (flow: FlowName, cron: string[], o: { preset?: string; every?: string; tz?: string; json?: boolean }) => {
      const given = [cron.length > 0, o.preset !== undefined, o.every !== undefined].filter(Boolean).length;
      if (given !== 1) throw new ExitError(2, 'Give exactly one of: a cron expression (in quotes), --preset NAME or --every INTERVAL (such as --every 15m).');
      // A preset name goes through the same reader as any spec, so an unknown one gets the same sentence.
      const spec = o.every !== undefined ? `every ${o.every.replace(/^every\s+/i, '')}` : (o.preset ?? cron.join(' '));
      await withEngine(globals(), async (engine) => {
        const s = setSchedule(engine.profile.db, { flow, spec, timeZone: o.tz });
        if (o.json) json(s);
        else out(`${s.flow}: ${s.description}${s.paused ? ' — PAUSED (resume it to run on schedule)' : `; ${s.nextRun}`}`);
      });
    });

  schedule
    .command('show')
    .description('each flow: its schedule, whether it is paused, the last run and the next one in words')
    .option('--json', 'print the schedules as one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const schedules = listSchedules(engine.profile.db);
        if (o.json) json({ schedules });
        else out(schedules.map(scheduleLines).join('\n'));
      });
    });

  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    schedule
      .command(name)
      .description(paused ? 'stop running a flow on its schedule (a run in progress finishes)' : 'run a paused flow on its schedule again')
      .argument('<flow>', `the flow (${flowNames.join(', ')})`, flowArg)
      .option('--json', 'print the schedule as one JSON object')
      .action(async (flow: FlowName, o: { json?: boolean }) => {
        await withEngine(globals(), async (engine) => {
          const s = setSchedule(engine.profile.db, { flow, paused });
          if (o.json) json(s);
          else out(paused ? `${flow} is paused; "ferry schedule resume ${flow}" starts it again.` : `${flow} runs on schedule again: ${s.description}; ${s.nextRun}`);
        });
      });
  }

  program
    .command('runs')
    .description('recent runs: when, how they went, counts, requests and time spent waiting for the systems')
    .option('--flow <name>', `only this flow (${flowNames.join(', ')})`, flowArg)
    .option('--limit <n>', 'how many runs (1–1000)', positiveInt(1000), 20)
    .option('--json', 'print the runs as one JSON object')
    .action(async (o: { flow?: FlowName; limit: number; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const runs = listRuns(engine.profile.db, { flows: o.flow ? [o.flow] : flowNames, limit: o.limit });
        if (o.json) json({ runs });
        else out(runsTable(runs));
      });
    });
}
