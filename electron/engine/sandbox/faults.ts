import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { prng, type Clock, type SystemName } from './context';

// Fault profiles: what goes wrong, where and how often. Loaded from a file (`ferry sandbox --faults FILE`)
// or set at runtime through the control endpoint. Draws come from a seeded generator, so a test that sets
// a profile sees the same sequence of faults every run.

const systems = ['ion', 'ido', 'm3', 'jaggaer', 'jira'] as const;

export const FaultRule = z.object({
  system: z.enum([...systems, '*']).default('*'),
  /**
   * Substring of the request path and query (e.g. "/load/SLPos", or "/invoke/SLAptrxs?method=AptrxpSp" for one
   * IDO method), or a regular expression written /like this/ tested against the same.
   */
  path: z.string().optional(),
  method: z.string().optional(),
  /** Probability per HTTP status, e.g. { "503": 0.1, "429": 0.05 }. */
  errorRate: z.record(z.string().regex(/^[1-5]\d\d$/), z.number().min(0).max(1)).optional(),
  /** 429/503 answers carry Retry-After (seconds) when set. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  latencyMs: z.object({ min: z.number().min(0), max: z.number().min(0) }).optional(),
  resetRate: z.number().min(0).max(1).optional(),
  truncateRate: z.number().min(0).max(1).optional(),
  /** Send the body in small pieces with this pause between them. */
  slowBodyMs: z.number().int().min(0).max(10_000).optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;

export const FaultProfile = z.object({
  seed: z.number().int().optional(),
  rules: z.array(FaultRule).default([]),
  /** Per-system clock skew in ms: that system's timestamps run ahead (+) or behind (−). */
  clockSkewMs: z.partialRecord(z.enum(systems), z.number().int()).optional(),
});
export type FaultProfile = z.infer<typeof FaultProfile>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Faults {
  private profile: FaultProfile = { rules: [] };
  private rand: () => number;
  /** How many faults of each kind were injected (tests check the profile did something). */
  readonly injected: Record<string, number> = {};

  constructor(
    private readonly clock: Clock,
    private readonly seed: number,
  ) {
    this.rand = prng(seed);
  }

  set(profile: FaultProfile): void {
    this.profile = FaultProfile.parse(profile);
    this.rand = prng(this.profile.seed ?? this.seed);
    this.clock.clearSkew();
    for (const [system, ms] of Object.entries(this.profile.clockSkewMs ?? {})) this.clock.setSkew(system as SystemName, ms);
  }

  clear(): void {
    this.set({ rules: [] });
  }

  get(): FaultProfile {
    return this.profile;
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  private rules(system: SystemName, method: string, url: string): FaultRule[] {
    return this.profile.rules.filter((r) => {
      if (r.system !== '*' && r.system !== system) return false;
      if (r.method && r.method.toUpperCase() !== method) return false;
      if (!r.path) return true;
      const re = /^\/(.+)\/$/.exec(r.path);
      return re ? new RegExp(re[1]!).test(url) : url.includes(r.path);
    });
  }

  /** Installs the fault hooks on one system's server. `systemOf` picks the system per request (ION gateway: ido/m3). */
  install(app: FastifyInstance, systemOf: (path: string) => SystemName): void {
    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0]!;
      for (const rule of this.rules(systemOf(path), req.method, req.url)) {
        if (rule.latencyMs) {
          const { min, max } = rule.latencyMs;
          await sleep(min + this.rand() * Math.max(0, max - min));
        }
        if (rule.resetRate && this.rand() < rule.resetRate) {
          this.count('reset');
          reply.hijack();
          req.raw.socket.destroy();
          return reply;
        }
        for (const [status, rate] of Object.entries(rule.errorRate ?? {})) {
          if (this.rand() < rate) {
            this.count(status);
            if (rule.retryAfterSeconds !== undefined && (status === '429' || status === '503')) reply.header('Retry-After', String(rule.retryAfterSeconds));
            return reply.code(Number(status)).send({ error: `Injected fault ${status}` });
          }
        }
      }
      return undefined;
    });

    app.addHook('onSend', async (req, reply, payload) => {
      const path = req.url.split('?')[0]!;
      const rules = this.rules(systemOf(path), req.method, req.url);
      const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.from(payload) : null;
      if (!body || rules.length === 0) return payload;
      for (const rule of rules) {
        if (rule.truncateRate && this.rand() < rule.truncateRate) {
          this.count('truncate');
          // Promise the whole length, send half, then cut the connection: what a dropped proxy looks like.
          // A stream payload keeps Fastify from correcting Content-Length to the shorter body.
          reply.header('content-length', String(body.length));
          const half = body.subarray(0, Math.floor(body.length / 2));
          let sent = false;
          return new Readable({
            read() {
              if (sent) return;
              sent = true;
              this.push(half);
              setTimeout(() => reply.raw.socket?.destroy(), 20);
            },
          });
        }
      }
      const slow = rules.find((r) => r.slowBodyMs)?.slowBodyMs;
      if (slow) {
        this.count('slow');
        reply.header('content-length', String(body.length));
        const pieces = Math.min(8, body.length);
        const size = Math.ceil(body.length / Math.max(pieces, 1));
        return Readable.from(
          (async function* () {
            for (let i = 0; i < body.length; i += size) {
              yield body.subarray(i, i + size);
              await sleep(slow);
            }
          })(),
        );
      }
      return payload;
    });
  }
}
