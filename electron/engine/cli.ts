import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { dataDirLocked, dataDirOf, ExitError, json, out, port, readInputFile, withEngine, type Globals } from './cli-support';
import { registerAuditCommands } from './cli-audit';
import { registerConnectionCommands } from './cli-connections';
import { registerMappingCommands } from './cli-mappings';
import { registerScheduleCommands, syncOnSchedule } from './cli-schedule';
import { registerFailureCommands } from './cli-failures';
import { registerWebhookCommands } from './cli-webhooks';
import { registerJiraCommands } from './cli-jira';
import { FlowName, flowNames, type RunSummary } from '../../shared/api';
import { FerryError, toErrorInfo } from '../../shared/errors';
import { flowsJson, ionapiLines, progressPrinter, runLine } from './cli-output';
import { MAX_IONAPI_BYTES, parseIonapi, summarizeIonapi } from './connectors/cloudsuite/ionapi';
import { runDemo } from './demo';
import { flowNotReady } from './flows/registry';
import { FERRY_VERSION } from './engine';
import { createLogger, logFile } from './log';
import { appDataDir, sandboxDir } from './paths';
import { startSandbox } from './sandbox';
import { scales, type Scale } from './sandbox/context';
import { FaultProfile } from './sandbox/faults';
import { serve } from './serve';
import { z } from 'zod';

// The `ferry` command. Exit codes: 0 done (records that failed wait in the failures queue and are counted in
// the output), 1 a flow or command could not run, 2 bad input or usage.

const staticDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

/**
 * Serving commands run until Ctrl+C or SIGTERM. With FERRY_PARENT_PID set (tests, supervisors) they also stop
 * when that process is gone, so a crashed test run never leaves a server behind.
 */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const parent = Number(process.env.FERRY_PARENT_PID);
    if (Number.isInteger(parent) && parent > 0) {
      timer = setInterval(() => {
        try {
          process.kill(parent, 0);
        } catch {
          stop();
        }
      }, 1000);
    }
  });
}

const DEMO_LOCKED = 'The demo runs its sample systems from this data folder, so it stays where it is while the demo runs; move it from the desktop app or "ferry serve".';

export function buildProgram(): Command {
  const program = new Command('ferry')
    .description('Ferry keeps Infor CloudSuite in step with JAGGAER and Jira.')
    .version(FERRY_VERSION)
    .option('--data-dir <dir>', 'where Ferry keeps its data (default: the OS app-data folder; FERRY_DATA_DIR overrides)')
    .option('--profile <name>', 'which profile (CloudSuite tenant) to use (default: "default"; serve: the one the app had open last)')
    .showHelpAfterError('(run "ferry --help" for the commands)')
    .exitOverride();
  const globals = () => program.opts<Globals>();

  program
    .command('serve')
    .description('serve the UI for this profile on 127.0.0.1 (browser host) until stopped; flows run on their schedules meanwhile')
    .option('--json', 'print one JSON object with the address as the last line')
    .option('--port <n>', 'port for the UI (default: a free one)', port)
    .action(async (o: { json?: boolean; port?: number }) => {
      await withEngine(
        globals(),
        async (engine, dataDir) => {
          const served = await serve(engine, { port: o.port, staticDir, ...(dataDirLocked(globals()) ? {} : { appDataDir: appDataDir() }) });
          if (o.json) json({ dataDir, profile: engine.profile.name, url: served.url });
          else out(`Ferry (profile ${engine.profile.name}, data in ${dataDir})\n  Open Ferry:  ${served.url}\nPress Ctrl+C to stop.`);
          await untilSignal();
          await served.close();
        },
        { lastProfile: true },
      );
    });

  program
    .command('demo')
    .description('start the built-in sandbox, connect to it, run po-to-jaggaer once and serve the UI')
    .option('--once', 'exit after the sync instead of serving the UI')
    .option('--json', 'print one JSON object as the last line')
    .option('--port <n>', 'port for the UI (default: a free one)', port)
    .action(async (o: { once?: boolean; json?: boolean; port?: number }) => {
      await withEngine(globals(), async (engine, dataDir) => {
        const progress = progressPrinter(process.stderr);
        const stopProgress = engine.onProgress(progress.update);
        const { sandbox, run } = await runDemo(engine, dataDir);
        stopProgress();
        progress.done();
        try {
          const summary = { dataDir, flows: flowsJson([run]), sandbox: { endpoints: sandbox.endpoints, dir: sandboxDir(dataDir) } };
          if (!o.json) {
            out('Ferry demo');
            out(`  Data folder: ${dataDir}`);
            out(`  Sandbox:     CloudSuite ${sandbox.tenant} (${sandbox.mongooseConfig}) at ${sandbox.endpoints.gateway}, JAGGAER at ${sandbox.endpoints.jaggaer}`);
            out(`  ${runLine(run)}`);
          }
          if (o.once) {
            if (o.json) json(summary);
            if (run.outcome === 'failed') throw new ExitError(1, `The demo sync did not run: ${run.error}`);
            return;
          }
          const served = await serve(engine, { port: o.port, staticDir });
          if (o.json) json({ ...summary, url: served.url });
          else out(`  Open Ferry:  ${served.url}\nPress Ctrl+C to stop.`);
          await untilSignal();
          await served.close();
        } finally {
          await sandbox.close();
        }
      }, { dataDirLocked: DEMO_LOCKED });
    });

  program
    .command('sandbox')
    .description('run the simulated CloudSuite (ION API gateway: Industrial and M3) and JAGGAER on 127.0.0.1 until stopped')
    .option('--json', 'print the endpoints, file paths and control endpoint as one JSON object')
    .option('--seed <n>', 'seed of the generated world (default: the folder\'s, or 20261121)', (v: string) => {
      if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError('use a whole number of up to 9 digits.');
      return Number(v);
    })
    .option('--scale <size>', 'small, medium or large (large ≈ 50,000 POs, 250,000 lines, 2,000 vendors per tenant)', (v: string) => {
      if (!(scales as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of: ${scales.join(', ')}.`);
      return v as Scale;
    })
    .option('--faults <file>', 'a JSON fault profile to start with (see README, "Fault profiles")')
    .option('--origin <time>', 'a new world starts at this date and time (e.g. 2027-02-28T23:30:00Z; default: now): its dates hang off it and its clock runs from there', parseOrigin)
    .action(async (o: { json?: boolean; seed?: number; scale?: Scale; faults?: string; origin?: Date }) => {
      const dataDir = dataDirOf(globals());
      const faults = o.faults ? readFaultProfile(o.faults) : undefined;
      const started = Date.now();
      const sandbox = await startSandbox({ dir: sandboxDir(dataDir), seed: o.seed, scale: o.scale, faults, origin: o.origin });
      const info = {
        tenant: sandbox.tenant,
        mongooseConfig: sandbox.mongooseConfig,
        seed: sandbox.seed,
        scale: sandbox.scale,
        origin: sandbox.origin.toISOString(),
        now: sandbox.clock.date().toISOString(),
        endpoints: sandbox.endpoints,
        files: sandbox.files,
        tenants: sandbox.tenants,
        control: sandbox.control,
        startupMs: Date.now() - started,
        dataDir,
      };
      if (o.json) json(info);
      else {
        out(`Ferry sandbox (seed ${sandbox.seed}, ${sandbox.scale}) started in ${(info.startupMs / 1000).toFixed(1)} s`);
        out(`  World:        started at ${info.origin}; its clock shows ${info.now}`);
        out(`  ION sign-in:  ${sandbox.endpoints.sso}`);
        out(`  ION gateway:  ${sandbox.endpoints.gateway}`);
        for (const t of Object.values(sandbox.tenants)) {
          out(`  Tenant ${t.id} (Mongoose configuration ${t.mongooseConfig})`);
          out(`    .ionapi file:        ${t.files.ionapi}`);
          out(`    JAGGAER:             ${t.endpoints.jaggaer}   credentials: ${t.files.jaggaer}`);
        }
        out(`  Control endpoint: ${sandbox.control.url} (token in ${sandbox.files.control})`);
        out('Press Ctrl+C to stop.');
      }
      await untilSignal();
      await sandbox.close();
    });

  const ionapi = program.command('ionapi').description('work with .ionapi files');
  ionapi
    .command('inspect')
    .description('show what an .ionapi file holds (never its secret values)')
    .argument('<file>', 'the .ionapi file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const content = readInputFile(file, MAX_IONAPI_BYTES);
      const summary = summarizeIonapi(parseIonapi(content));
      if (o.json) json(summary);
      else out(ionapiLines(summary));
    });

  program
    .command('sync')
    .description('run flows against the connected systems')
    .option('--once', 'run each flow once now, then exit (without it: run the scheduled flows until stopped)')
    .option('--flow <name>', `only this flow (${flowNames.join(', ')})`, (v: string) => {
      const r = FlowName.safeParse(v);
      if (!r.success) throw new InvalidArgumentError(`there is no flow "${v}"; the flows are: ${flowNames.join(', ')}.`);
      return r.data;
    })
    .option('--dry-run', 'preview: everything but the writes; the would-be payloads go to the audit trail')
    .option('--json', 'print the counts as one JSON object')
    .action(async (o: { once?: boolean; flow?: FlowName; json?: boolean; dryRun?: boolean }) => {
      if (!o.once && o.dryRun) throw new ExitError(2, 'A dry run is a one-off preview: use "ferry sync --once --dry-run".');
      if (!o.once) return syncOnSchedule(globals(), o, untilSignal);
      await withEngine(globals(), async (engine, dataDir) => {
        const progress = progressPrinter(process.stderr);
        engine.onProgress(progress.update);
        const runs: RunSummary[] = [];
        for (const flow of o.flow ? [o.flow] : flowNames) {
          // Asked for all flows: one that is not set up here is left out, with the reason.
          const notReady = o.flow ? null : flowNotReady(engine.profile, flow);
          if (notReady) {
            if (!o.json) out(`${flow}: not set up, skipped: ${notReady}`);
            continue;
          }
          runs.push(await engine.runFlow(flow, { dryRun: o.dryRun === true, trigger: 'cli' }));
          progress.done();
          if (!o.json) out(`${o.dryRun ? '(dry run) ' : ''}${runLine(runs[runs.length - 1]!)}`);
        }
        if (o.json) json({ dataDir, dryRun: o.dryRun === true, flows: flowsJson(runs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
        const failed = runs.find((r) => r.outcome === 'failed');
        if (failed) throw new ExitError(1, `${failed.flow} could not run: ${failed.error}`);
      });
    });

  registerAuditCommands(program, globals);
  registerConnectionCommands(program, globals);
  registerMappingCommands(program, globals);
  registerScheduleCommands(program, globals);
  registerFailureCommands(program, globals);
  registerWebhookCommands(program, globals);
  registerJiraCommands(program, globals);

  return program;
}

/** A sandbox world's origin: an ISO 8601 date (midnight UTC) or date and time with a zone, from 1970 to 9999. */
const Origin = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));

function parseOrigin(v: string): Date {
  const r = Origin.safeParse(v.trim());
  if (!r.success || Number.isNaN(r.data.getTime()) || r.data.getUTCFullYear() < 1970) {
    throw new InvalidArgumentError('use an ISO 8601 date or date and time with its zone, e.g. 2027-02-28 or 2027-02-28T23:30:00Z.');
  }
  return r.data;
}

function readFaultProfile(file: string): FaultProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : 'it is not valid JSON';
    throw new ExitError(2, `Ferry cannot use the faults file ${file}: ${why}.`);
  }
  const parsed = FaultProfile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ExitError(2, `The faults file ${file} is not valid at "${issue.path.join('.') || '(top)'}": ${issue.message}.`);
  }
  return parsed.data;
}


/** Runs the command line and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof ExitError) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    const info = toErrorInfo(err);
    process.stderr.write(`${info.message}\n`);
    if (info.code === 'internal') {
      const dataDir = dataDirOf(program.opts<Globals>());
      createLogger(dataDir).error({ err }, 'command failed');
      process.stderr.write(`(details in ${logFile(dataDir)})\n`);
      return 1;
    }
    return err instanceof FerryError && isInputError(err.code) ? 2 : 1;
  }
}

const isInputError = (code: string): boolean =>
  ['ionapi_invalid', 'invalid_input', 'sandbox_world_mismatch', 'failure_unknown', 'failure_closed', 'profile_name', 'db_key_weak', 'not_connected', 'no_mongoose_config', 'connection_damaged'].includes(code);

