// Turns change feeds into pages of records for a cursor that moves per page. A purchase order changes when its
// header or any of its lines changes, and CloudSuite stamps those in different tables, so there are several
// feeds (each oldest first); merged by time, they say which orders changed and in what order.

/** One change to one record: which record, when (ISO time), and which feed saw it. */
export interface Change {
  key: string;
  at: string;
  source: string;
}

export interface ChangedKeys {
  /** Distinct records, in the order of their first change on this page. */
  keys: string[];
  /**
   * The time of the last change consumed: every change up to it is on this page or an earlier one, so it
   * is a safe cursor once the page is recorded. Changes at exactly this time may still follow, which is
   * why reads start at the cursor (inclusive) minus an overlap.
   */
  upTo: string;
}

/**
 * Merges feeds that are each sorted by time into pages of up to `pageSize` distinct records. A change that
 * `alreadyDelivered` says an earlier page already carried (the record was read after it) is consumed
 * without repeating the record.
 */
export async function* changedKeyPages(feeds: AsyncIterable<Change>[], pageSize: number, alreadyDelivered: (c: Change) => boolean): AsyncGenerator<ChangedKeys> {
  const iterators = feeds.map((f) => f[Symbol.asyncIterator]());
  const heads: (Change | null)[] = await Promise.all(iterators.map(async (it) => (await it.next()).value ?? null));
  let page = new Set<string>();
  let upTo: string | null = null;
  for (;;) {
    let pick = -1;
    heads.forEach((h, i) => {
      // Ties go to the earlier feed, so a header and its lines stamped together land on one page.
      if (h && (pick < 0 || h.at < heads[pick]!.at)) pick = i;
    });
    if (pick < 0) break;
    const change = heads[pick]!;
    heads[pick] = (await iterators[pick]!.next()).value ?? null;
    upTo = change.at;
    if (page.has(change.key) || alreadyDelivered(change)) continue;
    page.add(change.key);
    if (page.size >= pageSize) {
      yield { keys: [...page], upTo };
      page = new Set();
    }
  }
  if (page.size > 0 && upTo !== null) yield { keys: [...page], upTo };
}

/** The records of paged loads as one sequence, fetching the next page only when it is needed. */
export async function* flatten<T, U>(pages: AsyncIterable<T[]>, map: (item: T) => U | null): AsyncGenerator<U> {
  for await (const items of pages) {
    for (const item of items) {
      const out = map(item);
      if (out !== null) yield out;
    }
  }
}
