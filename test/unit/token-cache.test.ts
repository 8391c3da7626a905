import { describe, it, expect } from 'vitest';
import { TokenCache } from '../../electron/engine/auth/token-cache';
import type { Token } from '../../electron/engine/auth/token-cache';

const MARGIN = 60_000;
const LIFETIME = 3_600_000;

/** A fetchToken that counts its calls, records what it was given, and issues tok-1, tok-2, … */
function counter(clock: { t: number }) {
  const seen: (Token | null)[] = [];
  const fetchToken = async (current: Token | null): Promise<Token> => {
    seen.push(current);
    return { accessToken: `tok-${seen.length}`, expiresAt: clock.t + LIFETIME, refreshToken: `ref-${seen.length}` };
  };
  return { fetchToken, seen };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TokenCache', () => {
  it('fetches on the first get', async () => {
    const clock = { t: 1_000_000 };
    const f = counter(clock);
    const cache = new TokenCache(f.fetchToken, MARGIN, () => clock.t);
    expect(cache.current).toBeNull();
    expect(await cache.get()).toBe('tok-1');
    expect(f.seen).toEqual([null]);
    expect(cache.current?.refreshToken).toBe('ref-1');
  });

  it('reuses the token within its lifetime', async () => {
    const clock = { t: 1_000_000 };
    const f = counter(clock);
    const cache = new TokenCache(f.fetchToken, MARGIN, () => clock.t);
    await cache.get();
    clock.t += LIFETIME - MARGIN - 1;
    expect(await cache.get()).toBe('tok-1');
    expect(f.seen).toHaveLength(1);
  });

  it('refetches from expiresAt - margin on, passing the previous token', async () => {
    const clock = { t: 1_000_000 };
    const f = counter(clock);
    const cache = new TokenCache(f.fetchToken, MARGIN, () => clock.t);
    await cache.get();
    const first = cache.current;
    clock.t = 1_000_000 + LIFETIME - MARGIN;
    expect(await cache.get()).toBe('tok-2');
    expect(f.seen).toHaveLength(2);
    expect(f.seen[1]).toEqual(first);
    expect(f.seen[1]?.accessToken).toBe('tok-1');
    expect(f.seen[1]?.refreshToken).toBe('ref-1');
  });

  it('makes exactly one fetch for concurrent gets (single flight)', async () => {
    let calls = 0;
    const d = deferred<Token>();
    const cache = new TokenCache(
      () => {
        calls++;
        return d.promise;
      },
      MARGIN,
      () => 0,
    );
    const all = Promise.all([cache.get(), cache.get(), cache.get(), cache.get()]);
    expect(calls).toBe(1);
    d.resolve({ accessToken: 'shared', expiresAt: LIFETIME, refreshToken: null });
    expect(await all).toEqual(['shared', 'shared', 'shared', 'shared']);
    expect(calls).toBe(1);
    expect(await cache.get()).toBe('shared');
    expect(calls).toBe(1);
  });

  it('invalidate() forces the next get to fetch', async () => {
    const clock = { t: 1_000_000 };
    const f = counter(clock);
    const cache = new TokenCache(f.fetchToken, MARGIN, () => clock.t);
    await cache.get();
    cache.invalidate();
    expect(await cache.get()).toBe('tok-2');
    expect(f.seen).toHaveLength(2);
    expect(f.seen[1]?.accessToken).toBe('tok-1');
    expect(f.seen[1]?.refreshToken).toBe('ref-1');
  });

  it('a failing fetch rejects (all waiters) and the next get tries again', async () => {
    let calls = 0;
    const attempts = [deferred<Token>(), deferred<Token>()];
    const cache = new TokenCache(
      () => {
        const d = attempts[calls++];
        if (!d) throw new Error('unexpected fetch');
        return d.promise;
      },
      MARGIN,
      () => 0,
    );
    const a = cache.get();
    const b = cache.get();
    attempts[0]!.reject(new Error('invalid_grant'));
    await expect(a).rejects.toThrow('invalid_grant');
    await expect(b).rejects.toThrow('invalid_grant');
    expect(calls).toBe(1);
    expect(cache.current).toBeNull();

    const c = cache.get();
    expect(calls).toBe(2);
    attempts[1]!.resolve({ accessToken: 'second-try', expiresAt: LIFETIME, refreshToken: null });
    expect(await c).toBe('second-try');
  });
});
