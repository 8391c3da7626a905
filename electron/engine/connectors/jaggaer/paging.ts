import { FerryError } from '../../../../shared/errors';
import { ConnectorError } from '../../http/errors';

// J1P list endpoints page with a 1-based offset (`start` for company profiles, `startAt` for invoices) and
// a page size the server picks; the client advances by `returnedRecords` until it has read `totRecords`.

export interface JaggaerPage<T> {
  totRecords: number;
  returnedRecords: number;
  items: T[];
}

/** Yields each page's items; `fetch(start)` reads the page at that 1-based offset. */
export async function* pageThrough<T>(fetch: (start: number) => Promise<JaggaerPage<T>>, what: string): AsyncGenerator<T[]> {
  let start = 1;
  for (;;) {
    const page = await fetch(start);
    if (page.items.length > 0) yield page.items;
    start += page.returnedRecords;
    // totRecords is re-read on every page: records that stop matching between pages shrink it.
    if (start > page.totRecords) return;
    if (page.returnedRecords <= 0) {
      // Offset paging over changing data can come up short; stopping here beats looping on the same offset.
      throw new ConnectorError('jaggaer_paging', `JAGGAER said ${page.totRecords} records match for ${what} but returned none from record ${start}; Ferry will read them again on the next run.`, {
        system: 'JAGGAER',
        retryable: true,
      });
    }
  }
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const items of pages) out.push(...items);
  return out;
}

/** ISO 8601 UTC with milliseconds: the form JAGGAER's own timestamps take. */
export function fltTime(since: Date | string): string {
  const t = since instanceof Date ? since.getTime() : Date.parse(since);
  if (Number.isNaN(t)) throw new FerryError('invalid_time', `"${String(since)}" is not a point in time Ferry can ask JAGGAER about.`);
  return new Date(t).toISOString();
}

/**
 * A value for an `==` clause. J1P's filter syntax has no published escaping: `;` would split the filter and
 * `*` is a wildcard, so a value with either (or quotes) is refused rather than sent as a different question.
 */
export function fltValue(field: string, value: string): string {
  const v = value.trim();
  if (v === '' || /[;*'"]/.test(v)) {
    throw new FerryError('invalid_filter_value', `Ferry cannot search JAGGAER by ${field} "${value}": it is empty or holds ; * or quotes.`);
  }
  return v;
}
