import fs from 'node:fs';
import path from 'node:path';
import type { Scale } from './context';
import type { IdoOverlay } from './ido-tables';
import type { TenantConfig } from './tenants';

// The sandbox's persisted world under <data-dir>/sandbox/state.json: the seed and scale it was generated
// from, and everything that changed since. The generated CloudSuite rows are not stored (they are re-created
// from the seed); JAGGAER's and Jira's state are stored whole (they are small by comparison).

export interface PersistedTenant {
  config: TenantConfig;
  idoOverlay: IdoOverlay;
  /** Owned by jaggaer/ (JaggaerState) and jira/ (JiraState); opaque here. */
  jaggaer: unknown;
  jira: unknown;
}

export interface PersistedState {
  version: 2;
  seed: number;
  scale: Scale;
  poCount: number | null;
  /** The world's origin: every generated date hangs off it, and its clock started there. */
  origin: string;
  /** How far the world's clock runs ahead of real time (negative: behind); absent in worlds made before it was kept. */
  clockOffsetMs?: number;
  tenants: Record<string, PersistedTenant>;
}

export function loadState(file: string): PersistedState | null {
  if (!fs.existsSync(file)) return null;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as PersistedState;
    return state.version === 2 ? state : null;
  } catch {
    return null;
  }
}

/** Write-then-rename, so a sandbox killed mid-save never leaves half a world behind. */
export function saveState(file: string, state: PersistedState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Batches saves: many changes in one burst cost one write; flush() writes now (on close). A large world's
 * state is tens of MB, so the pause between saves grows with how long a save takes (at most a fifth of the
 * time is spent saving) and the sandbox stays responsive while Ferry writes to it.
 */
export class Saver {
  private timer: NodeJS.Timeout | null = null;
  private lastWriteMs = 0;

  constructor(
    private readonly write: () => void,
    private readonly minDelayMs = 200,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timedWrite();
    }, Math.max(this.minDelayMs, 4 * this.lastWriteMs));
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timedWrite();
  }

  private timedWrite(): void {
    const started = Date.now();
    this.write();
    this.lastWriteMs = Date.now() - started;
  }
}
