import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineSupervisor, type HostProcess, type SupervisorEvent } from '../../electron/engine-supervisor';
import type { ToHost } from '../../electron/host-protocol';
import { RestartPolicy } from '../../electron/restart-policy';

// Main's keeper of the engine host, driven with fake processes and fake timers: calls wait for a starting host,
// a crash answers the calls in flight with "restarted; try again" and a new host starts after a backoff, a host
// that cannot open the profile is not restarted, and the key is wiped on main's side once it has been posted.

class FakeHost implements HostProcess {
  static count = 0;
  readonly pid = 1000 + ++FakeHost.count;
  readonly sent: ToHost[] = [];
  private onMsg: ((data: unknown) => void) | null = null;
  private onEnd: ((code: number) => void) | null = null;
  alive = true;

  postMessage(message: ToHost): void {
    this.sent.push(structuredClone(message));
  }
  onMessage(listener: (data: unknown) => void): void {
    this.onMsg = listener;
  }
  onExit(listener: (code: number) => void): void {
    this.onEnd = listener;
  }
  kill(): boolean {
    this.exit(15);
    return true;
  }
  emit(data: unknown): void {
    this.onMsg?.(data);
  }
  exit(code: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.onEnd?.(code);
  }
  /** The id of the n-th call this host received. */
  callId(n = 0): number {
    const calls = this.sent.filter((m) => m.type === 'call' || m.type === 'runAll');
    return (calls[n] as { id: number }).id;
  }
}

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

function setup(startMessage?: () => Promise<Extract<ToHost, { type: 'start' }>>) {
  const hosts: FakeHost[] = [];
  const events: SupervisorEvent[] = [];
  const keys: Uint8Array[] = [];
  const supervisor = new EngineSupervisor({
    spawn: () => {
      const h = new FakeHost();
      hosts.push(h);
      return h;
    },
    startMessage:
      startMessage ??
      (async () => {
        const key = new Uint8Array(32).fill(5);
        keys.push(key);
        return { type: 'start', dataDir: '/data', profile: 'default', key, schedules: true };
      }),
    log,
    onEvent: (e) => events.push(e),
    policy: new RestartPolicy({ firstDelayMs: 1000, maxDelayMs: 8000, healthyAfterMs: 60_000 }),
    startWaitMs: 30_000,
    stopWaitMs: 5_000,
  });
  return { supervisor, hosts, events, keys };
}

const tick = () => vi.advanceTimersByTimeAsync(0);

describe('EngineSupervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts the host with the key in its first message, wipes main’s copy, and holds calls until the host is ready', async () => {
    const { supervisor, hosts, keys } = setup();
    supervisor.start();
    await tick();
    const host = hosts[0]!;
    expect(host.sent[0]).toMatchObject({ type: 'start', dataDir: '/data', profile: 'default', schedules: true });
    expect([...(host.sent[0] as { key: Uint8Array }).key]).toEqual(new Array(32).fill(5));
    expect([...keys[0]!]).toEqual(new Array(32).fill(0));

    const status = supervisor.call('status', {});
    await tick();
    expect(host.sent).toHaveLength(1);
    host.emit({ type: 'ready', pid: host.pid });
    await tick();
    expect(supervisor.hostPid).toBe(host.pid);
    host.emit({ type: 'result', id: host.callId(), result: { ok: true, value: { profile: 'default' } } });
    expect(await status).toEqual({ ok: true, value: { profile: 'default' } });
  });

  it('stops the host and starts a new one on another profile (Settings → Open profile), asking for the start message afresh', async () => {
    let profile = 'default';
    const { supervisor, hosts } = setup(async () => ({ type: 'start', dataDir: '/data', profile, key: new Uint8Array(32).fill(7), schedules: true }));
    supervisor.start();
    await tick();
    hosts[0]!.emit({ type: 'ready', pid: hosts[0]!.pid });
    await tick();
    const stopping = supervisor.stop();
    await tick();
    expect(hosts[0]!.sent.at(-1)).toEqual({ type: 'stop' });
    hosts[0]!.exit(0);
    await stopping;
    profile = 'TST';
    supervisor.start();
    await tick();
    expect(hosts).toHaveLength(2);
    expect(hosts[1]!.sent[0]).toMatchObject({ type: 'start', profile: 'TST' });
    const status = supervisor.call('status', {});
    hosts[1]!.emit({ type: 'ready', pid: hosts[1]!.pid });
    await tick();
    hosts[1]!.emit({ type: 'result', id: hosts[1]!.callId(), result: { ok: true, value: { profile: 'TST' } } });
    expect(await status).toEqual({ ok: true, value: { profile: 'TST' } });
  });

  it('answers the calls in flight when the host crashes, refuses new ones while it is down, and restarts it with growing delays', async () => {
    const { supervisor, hosts, events } = setup();
    supervisor.start();
    await tick();
    hosts[0]!.emit({ type: 'ready', pid: hosts[0]!.pid });
    const run = supervisor.call('runFlowNow', { flow: 'po-to-jaggaer' });
    await tick();
    hosts[0]!.exit(139);
    expect(await run).toEqual({ ok: false, error: { code: 'engine_restarted', message: 'Ferry’s sync engine restarted; try again.' } });
    expect(events.at(-1)).toEqual({ type: 'restarting', code: 139, delayMs: 1000 });
    expect(await supervisor.call('status', {})).toMatchObject({ ok: false, error: { code: 'engine_restarting' } });

    await vi.advanceTimersByTimeAsync(999);
    expect(hosts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(hosts).toHaveLength(2);
    // Crashing again while opening: the next wait is longer, and a call waiting for it is answered.
    const waiting = supervisor.call('status', {});
    await tick();
    hosts[1]!.exit(1);
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'engine_restarted' } });
    expect(events.at(-1)).toEqual({ type: 'restarting', code: 1, delayMs: 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(hosts).toHaveLength(3);
    hosts[2]!.emit({ type: 'ready', pid: hosts[2]!.pid });
    await tick();
    expect(events.at(-1)).toEqual({ type: 'ready', pid: hosts[2]!.pid, restarts: 2 });
    const again = supervisor.call('status', {});
    await tick();
    hosts[2]!.emit({ type: 'result', id: hosts[2]!.callId(), result: { ok: true, value: 'fine' } });
    expect(await again).toEqual({ ok: true, value: 'fine' });
    // A result from the dead host is not mistaken for one of the new host's.
    hosts[0]!.emit({ type: 'result', id: 1, result: { ok: true, value: 'stale' } });
  });

  it('does not restart a host that could not open the profile, and answers calls with its reason', async () => {
    const { supervisor, hosts, events } = setup();
    supervisor.start();
    await tick();
    const reason = { code: 'db_key_invalid', message: 'The database key does not open this profile.' };
    hosts[0]!.emit({ type: 'failed', error: reason });
    hosts[0]!.exit(2);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(hosts).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'failed', error: reason });
    expect(await supervisor.call('status', {})).toEqual({ ok: false, error: reason });
  });

  it('fails without starting a host when the key cannot be unwrapped', async () => {
    const { supervisor, hosts, events } = setup(async () => {
      throw new Error('keychain locked');
    });
    supervisor.start();
    await tick();
    expect(hosts).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'db_key_unavailable' } });
    expect((await supervisor.call('status', {})) as { error: { message: string } }).toMatchObject({ ok: false, error: { message: expect.stringContaining('keychain locked') } });
  });

  it('lets a call wait only so long for a host that is still opening', async () => {
    const { supervisor } = setup();
    supervisor.start();
    await tick();
    const call = supervisor.call('status', {});
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await call).toMatchObject({ ok: false, error: { code: 'engine_starting' } });
  });

  it('stops the host politely, and ends it when it does not finish in time', async () => {
    const polite = setup();
    polite.supervisor.start();
    await tick();
    const h = polite.hosts[0]!;
    h.emit({ type: 'ready', pid: h.pid });
    const stopping = polite.supervisor.stop();
    expect(h.sent.at(-1)).toEqual({ type: 'stop' });
    h.emit({ type: 'stopped' });
    h.exit(0);
    await stopping;
    expect(polite.supervisor.status.state).toBe('stopped');
    expect(await polite.supervisor.call('status', {})).toMatchObject({ ok: false, error: { code: 'engine_stopped' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polite.hosts).toHaveLength(1);

    const stubborn = setup();
    stubborn.supervisor.start();
    await tick();
    const s = stubborn.hosts[0]!;
    s.emit({ type: 'ready', pid: s.pid });
    const inFlight = stubborn.supervisor.call('runFlowNow', { flow: 'supplier-sync' });
    const stop = stubborn.supervisor.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    await stop;
    expect(s.alive).toBe(false);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'engine_stopped' } });
    expect(stubborn.hosts).toHaveLength(1);
  });

  it('passes progress and finished runs on', async () => {
    const { supervisor, hosts, events } = setup();
    supervisor.start();
    await tick();
    const h = hosts[0]!;
    h.emit({ type: 'ready', pid: h.pid });
    const counts = { created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
    h.emit({ type: 'progress', progress: { flow: 'po-to-jaggaer', runId: 'r1', page: 1, processed: 3, counts } });
    h.emit({ type: 'progress', progress: { flow: 'no-such-flow', runId: 'r1', page: 1, processed: 3, counts } });
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(1);
    expect(log.warn).toHaveBeenCalled();
  });
});

describe('RestartPolicy', () => {
  it('doubles the wait after each crash up to the cap, and starts again after a healthy stretch', () => {
    const p = new RestartPolicy({ firstDelayMs: 1000, maxDelayMs: 60_000, healthyAfterMs: 60_000 });
    expect([0, 0, 0, 0, 0, 0, 0, 0].map(() => p.nextDelay(500))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(p.nextDelay(5 * 60_000)).toBe(1000);
    expect(p.nextDelay(10)).toBe(2000);
    expect(p.count).toBe(2);
  });
});
