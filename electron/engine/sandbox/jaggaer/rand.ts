// Small helpers over one of the context's deterministic streams (ctx.random(name)).

export type Rand = () => number;

export const int = (r: Rand, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));

export function pick<T>(r: Rand, list: readonly T[]): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(r() * list.length)]!;
}

export function shuffle<T>(r: Rand, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A UUID-shaped id from the stream, so generated message ids repeat with the seed. */
export function uuid(r: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(r() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

// `|| 0` turns -0 (a zero-tax credit line) into 0: JSON has no -0, so state would not survive a reload as is.
export const round2 = (n: number): number => Math.round(n * 100) / 100 || 0;

export const DAY = 86_400_000;

/** Midnight UTC of a time: generated dates hang off it, so two generations on the same day are identical. */
export const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
