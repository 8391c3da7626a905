import { z } from 'zod';

// Where the window opens: where it was, unless that place is no longer on any screen (a monitor unplugged, a
// laptop off its dock), in which case it keeps its size and opens centred on the primary screen.

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowState: WindowState = { width: 1200, height: 800, maximized: false };

/** At least this much of the title bar must be on a screen for the saved position to be used. */
const MIN_VISIBLE = 100;

export function restoreWindowState(saved: unknown, workAreas: readonly Rect[]): WindowState {
  const parsed = WindowState.safeParse(saved);
  if (!parsed.success) return { ...defaultWindowState };
  const s = parsed.data;
  const primary = workAreas[0];
  const width = primary ? Math.min(s.width, primary.width) : s.width;
  const height = primary ? Math.min(s.height, primary.height) : s.height;
  if (s.x === undefined || s.y === undefined) return { width, height, maximized: s.maximized };
  const titleBar: Rect = { x: s.x, y: s.y, width, height: 40 };
  const visible = workAreas.some((a) => overlap(titleBar, a) >= MIN_VISIBLE && s.y! >= a.y && s.y! < a.y + a.height);
  return visible ? { x: s.x, y: s.y, width, height, maximized: s.maximized } : { width, height, maximized: s.maximized };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w : 0;
}
