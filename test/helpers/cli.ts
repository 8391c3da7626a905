import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(repoRoot, 'bin', 'ferry.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const baseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  FERRY_DATA_DIR: '',
  FERRY_DB_KEY: '',
  FERRY_PARENT_PID: String(process.pid),
  ...extra,
});

/** Runs `ferry …` as a person would, to completion; `input` is piped to its standard input. */
export function runCli(args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: baseEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ferry ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

export interface RunningCli {
  child: ChildProcess;
  json: Record<string, unknown>;
  output(): { stdout: string; stderr: string };
  stop(): Promise<number | null>;
}

/** Starts a serving command (`demo`, `sandbox`) and resolves once it has printed its JSON line. */
export function startCli(args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ferry ${args.join(' ')} printed no JSON line in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line || !stdout.includes('\n', stdout.indexOf(line))) return;
      clearTimeout(timer);
      resolve({
        child,
        json: JSON.parse(line) as Record<string, unknown>,
        output: () => ({ stdout, stderr }),
        stop: async () => {
          child.kill('SIGTERM');
          return closed;
        },
      });
    });
    void closed.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ferry ${args.join(' ')} exited with ${code} before printing JSON\n${stdout}\n${stderr}`));
    });
  });
}
