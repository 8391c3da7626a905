import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { Engine } from './engine';
import { createLogger, type Logger } from './log';
import { dataDirLockedBy } from './data-folder';
import { defaultDataDir } from './paths';
import { lastProfile } from './profiles';

// What every `ferry` command shares: the global options, printing, exit codes and opening the engine.

export interface Globals {
  dataDir?: string;
  /** Omitted: "default" for commands; the profile open last for the app (`ferry serve`). */
  profile?: string;
}

export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const out = (line: string) => process.stdout.write(`${line}\n`);
export const json = (value: unknown) => out(JSON.stringify(value));

export const positiveInt = (max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`use a whole number from 1 to ${max}.`);
  return n;
};
export const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('use a port number from 0 to 65535 (0 picks a free one).');
  return n;
};

export function dataDirOf(g: Globals): string {
  return path.resolve(g.dataDir ?? defaultDataDir());
}

/** Why the data folder may not be moved from the app: it was chosen on the command line or by the environment. */
export function dataDirLocked(g: Globals, env: NodeJS.ProcessEnv = process.env): string | null {
  const how = g.dataDir ? 'the --data-dir option' : env.FERRY_DATA_DIR ? 'the FERRY_DATA_DIR environment variable' : null;
  return dataDirLockedBy(how);
}

export async function withEngine<T>(
  g: Globals,
  fn: (engine: Engine, dataDir: string, log: Logger) => Promise<T>,
  opts: { lastProfile?: boolean; dataDirLocked?: string } = {},
): Promise<T> {
  const dataDir = dataDirOf(g);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = createLogger(dataDir);
  const profile = g.profile ?? (opts.lastProfile ? lastProfile(dataDir) : null) ?? 'default';
  const engine = await Engine.open({ dataDir, profile, log, dataDirLocked: dataDirLocked(g) ?? opts.dataDirLocked ?? null });
  try {
    return await fn(engine, dataDir, log);
  } finally {
    engine.close();
  }
}


/** Reads a small input file a person named, with a sentence (exit 2) when it is missing or too large. */
export function readInputFile(file: string, maxBytes: number, tooLarge?: (sizeBytes: number) => string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ExitError(2, `Ferry cannot find the file ${file}.`);
  }
  if (!stat.isFile()) throw new ExitError(2, `${file} is a folder, not a file.`);
  if (stat.size > maxBytes) {
    throw new ExitError(
      2,
      tooLarge?.(stat.size) ?? `This file is ${Math.round(stat.size / 1024)} KB, far too large to be an .ionapi file (about 1 KB); download it again from ION API → Authorized Apps.`,
    );
  }
  return fs.readFileSync(file, 'utf8');
}
