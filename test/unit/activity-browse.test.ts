import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/api';
import { api } from '../../shared/api';
import { asCapture, base64Bytes, localDayInstant, MAX_SCROLL_HEIGHT, PAGE_SIZE, pageRequest, pagesFor, prettyBody, scrollScale } from '../../renderer/audit-browse';

// The Activity screen's bookkeeping (renderer/audit-browse.ts): which request fetches which page, and how a
// list taller than a browser can lay out maps onto its scrollbar.

const page = (lastId: number, n = PAGE_SIZE): AuditEvent[] =>
  Array.from({ length: n }, (_, i) => ({ id: lastId + n - 1 - i }) as AuditEvent);

describe('pageRequest', () => {
  const view = { outcome: 'failed' as const, search: undefined };

  it('asks for the first page plainly, the next by keyset, a far one by position, always within the cut', () => {
    const pages = new Map([[0, page(801)], [7, page(101, 150)]]);
    expect(pageRequest(view, 1000, 0, pages)).toEqual({ outcome: 'failed', limit: PAGE_SIZE, upToId: 1000 });
    expect(pageRequest(view, 1000, 1, pages)).toEqual({ outcome: 'failed', limit: PAGE_SIZE, upToId: 1000, beforeId: 801 });
    expect(pageRequest(view, 1000, 5, pages)).toEqual({ outcome: 'failed', limit: PAGE_SIZE, upToId: 1000, offset: 5 * PAGE_SIZE });
    // A short page is the end of the list: nothing follows it by keyset.
    expect(pageRequest(view, 1000, 8, pages)).toEqual({ outcome: 'failed', limit: PAGE_SIZE, upToId: 1000, offset: 8 * PAGE_SIZE });
  });

  it('builds requests the API accepts', () => {
    const req = pageRequest({ since: '2026-11-01T00:00:00.000Z', search: 'PO1', searchMode: 'prefix' }, 5, 3, new Map());
    expect(api.listAudit.input.safeParse(req).success).toBe(true);
  });

  it('names the pages that hold a range of rows', () => {
    expect(pagesFor(0, 0)).toEqual([0]);
    expect(pagesFor(190, 410)).toEqual([0, 1, 2]);
    expect(pagesFor(5, 4)).toEqual([]);
  });
});

describe('scrollScale', () => {
  it('is one to one while the list fits a browser', () => {
    expect(scrollScale(1000 * 40, 600)).toEqual({ physical: 40_000, ratio: 1, maxOffset: 39_400 });
    expect(scrollScale(100, 600)).toEqual({ physical: 100, ratio: 1, maxOffset: 0 });
  });

  it('shrinks a million rows onto a scrollbar of fixed height, so its end is the last row', () => {
    const s = scrollScale(1_000_000 * 40, 600);
    expect(s.physical).toBe(MAX_SCROLL_HEIGHT);
    expect(s.maxOffset).toBe(40_000_000 - 600);
    // The bottom of the scrollbar is the bottom of the list; its middle is the middle.
    expect((MAX_SCROLL_HEIGHT - 600) * s.ratio).toBeCloseTo(s.maxOffset, 3);
    expect(((MAX_SCROLL_HEIGHT - 600) / 2) * s.ratio).toBeCloseTo(s.maxOffset / 2, 3);
  });
});

describe('small helpers', () => {
  it('turns a local calendar day into the instants it starts and ends', () => {
    const start = localDayInstant('2026-11-20', 'start')!;
    const end = localDayInstant('2026-11-20', 'end')!;
    expect(new Date(start).getDate()).toBe(20);
    expect(new Date(start).getHours()).toBe(0);
    expect(Date.parse(end) - Date.parse(start)).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(localDayInstant('20.11.2026', 'start')).toBeUndefined();
  });

  it('decodes a download and reads a captured exchange', () => {
    expect(Array.from(base64Bytes(Buffer.from('a,b\n').toString('base64')))).toEqual([97, 44, 98, 10]);
    expect(asCapture({ method: 'POST', url: 'https://x/y', status: 200, ms: 5, attempt: 1, requestHeaders: { Authorization: '[redacted]' }, requestBody: '{"a":1}', responseBody: null, error: null })).toMatchObject({
      method: 'POST',
      requestHeaders: { Authorization: '[redacted]' },
      requestBody: '{"a":1}',
    });
    expect(asCapture({ payload: { po: 'PO1' } })).toBeNull();
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('<xml/>')).toBe('<xml/>');
  });
});
