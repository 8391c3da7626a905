import type { AuditEvent, FlowName, MethodInput } from '../shared/api';

// The Activity screen's bookkeeping, kept apart from React so it can be tested: which request fetches which
// page of a trail that may hold millions of events, and how a list that tall maps onto a scrollbar.

/** Events per request. */
export const PAGE_SIZE = 200;

/** What a person filters the trail by (as the API takes it). */
export interface AuditView {
  flow?: FlowName | undefined;
  outcome?: AuditEvent['outcome'] | undefined;
  /** ISO instants: the start of the first day shown, the end of the last. */
  since?: string | undefined;
  until?: string | undefined;
  search?: string | undefined;
  searchMode?: 'contains' | 'prefix' | undefined;
}

export const isFiltered = (v: AuditView): boolean =>
  v.flow !== undefined || v.outcome !== undefined || v.since !== undefined || v.until !== undefined || v.search !== undefined;

/**
 * The request for page `index` of the view, within the cut `upToId`: the page after one already loaded is
 * asked for by the last id of that one (keyset, as cheap as the first page); any other by its position.
 */
export function pageRequest(view: AuditView, upToId: number, index: number, pages: ReadonlyMap<number, readonly AuditEvent[]>): MethodInput<'listAudit'> {
  const base = { ...definedOnly(view), limit: PAGE_SIZE, upToId };
  if (index === 0) return base;
  const previous = pages.get(index - 1);
  if (previous && previous.length === PAGE_SIZE) return { ...base, beforeId: previous[PAGE_SIZE - 1]!.id };
  return { ...base, offset: index * PAGE_SIZE };
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The pages that hold rows `first`–`last`. */
export function pagesFor(first: number, last: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) out.push(p);
  return out;
}

/**
 * Browsers cannot lay out an element much taller than about 17 million pixels (Firefox; Chromium about 33
 * million): a million rows of 40 px would not fit. Above this height the scrollbar stands for the whole list
 * at a reduced scale, and Ferry moves the rows itself.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface ScrollScale {
  /** The height of the scrollable area, in pixels. */
  physical: number;
  /** Content pixels per scrollbar pixel (1 when the list fits). */
  ratio: number;
  /** The largest content offset (the last row at the bottom of the viewport). */
  maxOffset: number;
}

export function scrollScale(contentHeight: number, viewportHeight: number, cap = MAX_SCROLL_HEIGHT): ScrollScale {
  const maxOffset = Math.max(0, contentHeight - viewportHeight);
  if (contentHeight <= cap) return { physical: contentHeight, ratio: 1, maxOffset };
  const physicalMax = Math.max(1, cap - viewportHeight);
  return { physical: cap, ratio: maxOffset / physicalMax, maxOffset };
}

/** A local calendar day (yyyy-mm-dd, from a date field) as the instant it starts, or the one after it ends. */
export function localDayInstant(day: string, edge: 'start' | 'end'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (edge === 'end' ? 1 : 0));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** base64 (what exportAudit returns) as bytes for a Blob. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A captured HTTP exchange (electron/engine/http/capture.ts), as far as the detail panel shows one. */
export interface CaptureView {
  method: string;
  url: string;
  status: number | null;
  ms: number | null;
  attempt: number | null;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  responseBody: string | null;
  error: string | null;
}

export function asCapture(value: unknown): CaptureView | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (typeof c.method !== 'string' || typeof c.url !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v));
  const headers = typeof c.requestHeaders === 'object' && c.requestHeaders !== null ? (c.requestHeaders as Record<string, unknown>) : {};
  return {
    method: c.method,
    url: c.url,
    status: typeof c.status === 'number' ? c.status : null,
    ms: typeof c.ms === 'number' ? c.ms : null,
    attempt: typeof c.attempt === 'number' ? c.attempt : null,
    requestHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
    requestBody: text(c.requestBody),
    responseBody: text(c.responseBody),
    error: text(c.error),
  };
}

/** A body as a person reads it: JSON indented, anything else as it came. */
export function prettyBody(body: string): string {
  const t = body.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return body;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return body;
  }
}
