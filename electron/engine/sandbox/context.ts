import crypto from 'node:crypto';
import type { IdoTables } from './ido-tables';

// What every simulated system gets from the sandbox: the data scale, a clock tests can move, deterministic
// randomness, and a way to say "my state changed, persist it".

export type Scale = 'small' | 'medium' | 'large';
export const scales: readonly Scale[] = ['small', 'medium', 'large'];

/** Sizes of the generated world per tenant. large ≈ 50,000 POs, 250,000 lines, 2,000 vendors. */
export const scaleSizes: Record<Scale, { vendors: number; pos: number; maxLinesPerPo: number; projects: number; jiraUsers: number }> = {
  small: { vendors: 8, pos: 24, maxLinesPerPo: 4, projects: 4, jiraUsers: 5 },
  medium: { vendors: 200, pos: 2_000, maxLinesPerPo: 6, projects: 40, jiraUsers: 25 },
  large: { vendors: 2_000, pos: 50_000, maxLinesPerPo: 9, projects: 300, jiraUsers: 120 },
};

export type SystemName = 'ion' | 'ido' | 'm3' | 'jaggaer' | 'jira';

/**
 * The sandbox's time — the world's own clock: it starts at the world's origin and runs with real time from
 * there, plus what the control endpoint advances it by (token expiry, 30-day webhook expiry, "last minute"
 * omissions), plus a per-system skew for the clock-skew fault. A world whose origin is today runs on real
 * time; a world pinned to another instant (tests, `ferry sandbox --origin`) runs as if it were that day.
 */
export class Clock {
  private skew: Partial<Record<SystemName, number>> = {};

  /** `offsetMs`: how far the world's time is ahead of real time (negative: behind). */
  constructor(private offsetMs = 0) {}

  /** A clock that shows `instant` now and runs on from there. */
  static startingAt(instant: number): Clock {
    return new Clock(instant - Date.now());
  }

  now(system?: SystemName): number {
    return Date.now() + this.offsetMs + (system ? (this.skew[system] ?? 0) : 0);
  }

  date(system?: SystemName): Date {
    return new Date(this.now(system));
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }

  setSkew(system: SystemName, ms: number): void {
    this.skew[system] = ms;
  }

  clearSkew(): void {
    this.skew = {};
  }
}

/** mulberry32: tiny and fast; deterministic sample data, never anything secret. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A named, independent random stream: adding draws to one generator never changes another's data. */
export function stream(seed: number, name: string): () => number {
  const h = crypto.createHash('sha256').update(`${seed}:${name}`).digest();
  return prng(h.readUInt32LE(0));
}

export interface SandboxContext {
  readonly seed: number;
  readonly scale: Scale;
  /** The world's origin (ms since 1970): every generated date hangs off it, none off the clock's "now". */
  readonly origin: number;
  readonly clock: Clock;
  /** Deterministic random numbers for one purpose (e.g. "jira.worklogs"). */
  random(name: string): () => number;
  /** Call after changing state that must survive a restart; saving is batched. */
  changed(): void;
}

/** Without an origin, the world starts at the clock's now (harnesses that generate one system on its own). */
export function createContext(opts: { seed: number; scale: Scale; origin?: number; clock?: Clock; changed?: () => void }): SandboxContext {
  const clock = opts.clock ?? (opts.origin === undefined ? new Clock() : Clock.startingAt(opts.origin));
  return {
    seed: opts.seed,
    scale: opts.scale,
    origin: opts.origin ?? clock.now(),
    clock,
    random: (name) => stream(opts.seed, name),
    changed: opts.changed ?? (() => undefined),
  };
}

/** One CloudSuite tenant of the sandbox (FERRY_TST, FERRY_PRD) with its data; JAGGAER and Jira pair with it. */
export interface SandboxTenant {
  readonly id: string;
  readonly ido: IdoTables;
}
