// When to start the engine host again after it stopped unexpectedly: at once the first time is tempting but a
// host that crashes while opening would then spin; so 1 s, 2 s, 4 s … up to a minute, and back to 1 s once a
// host has stayed up for a while.

export interface RestartPolicyOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A host that answered for this long counts as healthy: the next crash starts the series again. */
  healthyAfterMs?: number;
}

export class RestartPolicy {
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly healthyAfterMs: number;
  private crashes = 0;

  constructor(opts: RestartPolicyOptions = {}) {
    this.firstDelayMs = opts.firstDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.healthyAfterMs = opts.healthyAfterMs ?? 60_000;
  }

  /**
   * The host stopped after running `upMs` (since it was started): how long to wait before starting it again.
   */
  nextDelay(upMs: number): number {
    if (upMs >= this.healthyAfterMs) this.crashes = 0;
    const delay = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** Math.min(this.crashes, 30));
    this.crashes += 1;
    return delay;
  }

  /** Crashes in the current series (0 after a healthy stretch). */
  get count(): number {
    return this.crashes;
  }
}
