import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { lastJsonLine, runCli, startCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// `ferry schedule …`, `ferry sync` (on schedule, until SIGTERM) and `ferry runs` as real processes, on a data
// folder connected to a sandbox that this test runs.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let dataDir: string;
const ferry = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jsonLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  tmp = tempDir();
  dataDir = tmp.dir;
  sandbox = await startSandbox({ dir: sandboxDir(dataDir), poCount: 30, seed: 7, tenants: ['FERRY_TST'] });
  // Connected the way a person would, through the engine; the CLI processes then open the same profile.
  const engine = await Engine.open({ dataDir, log: createLogger(null) });
  connectToSandbox(engine, sandbox);
  engine.close();
});

afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('ferry schedule, sync and runs', () => {
  it('refuses a bad cron expression with the sentence, and "sync" without any schedule', async () => {
    const bad = await ferry('schedule', 'set', 'po-to-jaggaer', '61 7-18 * * 1-5');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      '"61 7-18 * * 1-5" is not a schedule Ferry understands: use a preset (business-hours, hourly, nightly), an interval like "every 15m", or a cron expression such as "*/15 7-18 * * 1-5".',
    );
    const neither = await ferry('schedule', 'set', 'po-to-jaggaer');
    expect(neither.code).toBe(2);
    const noSchedule = await ferry('sync');
    expect(noSchedule.code).toBe(2);
    expect(noSchedule.stderr.trim()).toMatch(
      /^No flow has a schedule yet: set one with "ferry schedule set [a-z-]+ --preset business-hours", or run once now with "ferry sync --once"\.$/,
    );
  });

  it('"ferry sync" runs the schedule until SIGTERM, sees a pause made from another process, and exits 0', async () => {
    expect((await ferry('schedule', 'set', 'po-to-jaggaer', '--every', '1s')).code).toBe(0);
    const sync = await startCli(['sync', '--json', '--data-dir', dataDir]);
    expect(sync.json).toMatchObject({ event: 'started', dataDir, schedules: [expect.objectContaining({ flow: 'po-to-jaggaer', spec: 'every 1s' })] });
    const runEvents = () => jsonLines(sync.output().stdout).filter((l) => l.event === 'run');
    const end = Date.now() + 45_000;
    while (runEvents().length < 2 && Date.now() < end) await sleep(100);
    expect(runEvents().length).toBeGreaterThanOrEqual(2);
    expect(runEvents().every((r) => r.outcome === 'ok' && r.flow === 'po-to-jaggaer')).toBe(true);

    // Paused by another process: the running scheduler reads the table on its next look (within a second
    // here), so no run starts after the pause was saved (one already going may still finish).
    const pause = await ferry('schedule', 'pause', 'po-to-jaggaer');
    expect(pause.code, pause.stderr).toBe(0);
    const pausedAt = Date.now();
    await sleep(3_000);
    expect(runEvents().filter((r) => Date.parse(r.startedAt as string) > pausedAt)).toEqual([]);

    expect(await sync.stop()).toBe(0);
    const total = runEvents().length;
    expect(lastJsonLine(sync.output().stdout)).toEqual({ event: 'stopped', runs: total });

    const runs = await ferry('runs', '--json', '--limit', '100');
    expect(runs.code, runs.stderr).toBe(0);
    const listed = (lastJsonLine(runs.stdout) as { runs: Record<string, unknown>[] }).runs;
    expect(listed).toHaveLength(total);
    expect(listed[0]).toMatchObject({ flow: 'po-to-jaggaer', outcome: 'ok', trigger: 'schedule', requests: expect.any(Number), waitedMs: expect.any(Number) });
    expect(listed[0]!.finishedAt).toEqual(expect.any(String));
    const text = await ferry('runs', '--flow', 'po-to-jaggaer', '--limit', '2');
    expect(text.stdout).toMatch(/Started\s+Ended\s+Flow\s+Outcome\s+Created\s+Updated\s+Unchanged\s+Skipped\s+Failed\s+Requests\s+Waited\s+By/);
    expect(text.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('"schedule set --preset business-hours" shows up in "schedule show --json", paused state kept', async () => {
    const set = await ferry('schedule', 'set', 'po-to-jaggaer', '--preset', 'business-hours', '--tz', 'Europe/Berlin');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('po-to-jaggaer: business-hours (every 15 min, 07:00–18:59 Mon–Fri, Europe/Berlin time)');
    const show = await ferry('schedule', 'show', '--json');
    const s = (lastJsonLine(show.stdout) as { schedules: Record<string, unknown>[] }).schedules.find((x) => x.flow === 'po-to-jaggaer');
    // The previous test paused it; a new schedule keeps it paused until resumed.
    expect(s).toMatchObject({ flow: 'po-to-jaggaer', preset: 'business-hours', spec: '*/15 7-18 * * 1-5', timeZone: 'Europe/Berlin', paused: true, nextRunAt: null });
    const resume = await ferry('schedule', 'resume', 'po-to-jaggaer', '--json');
    expect(lastJsonLine(resume.stdout)).toMatchObject({ paused: false, nextRunAt: expect.any(String), nextRun: expect.stringMatching(/^next run .* Europe\/Berlin \(in .+\)$/) });
    const words = await ferry('schedule', 'show');
    expect(words.stdout).toMatch(/^po-to-jaggaer: business-hours .*\n {2}next run .*\n {2}last run /m);
  });
});
