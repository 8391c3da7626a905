import { ConnectorError } from '../../http/errors';
import type { IdoName } from '../../contracts/cloudsuite';
import type { IdoClient, IdoItem, IdoProperties, IdoValue } from './ido-client';

// Writes that are safe when an answer is lost. An insert is re-sent only when a search proves the first one
// did not land (verifyNotApplied); when the search finds the row instead, that row is the lost answer. An
// update locks on the RecordDate inside `_ItemId`, so it is re-sent only while the row still carries the
// RecordDate it was read with; a row that moved is read again to see whether it moved to our values.

const uncertain = (err: unknown): boolean => err instanceof ConnectorError && err.code === 'write_uncertain';

/** Inserts a row that `find` can locate afterwards (by a key or a reference); returns it as saved. */
export async function insertOnce<I extends IdoName>(ido: IdoClient, name: I, properties: IdoProperties<I>, find: () => Promise<IdoItem | null>, what: string): Promise<IdoItem> {
  let seen: IdoItem | null = null;
  try {
    const saved = await ido.update(name, { action: 'insert', properties }, {
      what,
      verifyNotApplied: async () => {
        seen = await find();
        return seen === null;
      },
    });
    return saved ?? (await mustFind(find, name, what));
  } catch (err) {
    if (!uncertain(err)) throw err;
    // The connection dropped after CloudSuite may have saved the row, and the proof search found it.
    const found: IdoItem | null = seen ?? (await find());
    if (found) return found;
    throw err;
  }
}

/**
 * Updates the row `current` (as loaded, with `_ItemId`) to `properties`. `reread` loads the row again; a
 * lost answer counts as done when the row now holds our values.
 */
export async function updateOnce<I extends IdoName>(ido: IdoClient, name: I, current: IdoItem, properties: IdoProperties<I>, reread: () => Promise<IdoItem | null>, what: string): Promise<IdoItem> {
  const itemId = String(current._ItemId ?? '');
  if (!itemId) throw new ConnectorError('bad_response', `CloudSuite sent a ${name} row without _ItemId, so Ferry cannot change it.`, { system: 'CloudSuite', retryable: false });
  try {
    const saved = await ido.update(name, { action: 'update', itemId, properties }, {
      what,
      verifyNotApplied: async () => (await reread())?._ItemId === itemId,
    });
    return saved ?? (await mustFind(reread, name, what));
  } catch (err) {
    if (!uncertain(err)) throw err;
    const now = await reread();
    if (now && holds(now, properties as Record<string, IdoValue>)) return now;
    throw err;
  }
}

/** Whether a row holds these values (as CloudSuite formats them: decimals padded, blanks as null). */
export function holds(row: IdoItem, properties: Record<string, IdoValue>): boolean {
  return Object.entries(properties).every(([k, v]) => same(row[k] ?? null, v));
}

function same(a: IdoValue, b: IdoValue): boolean {
  const blank = (v: IdoValue) => v === null || String(v).trim() === '';
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  const x = String(a).trim();
  const y = String(b).trim();
  if (x === y) return true;
  const n = Number(x);
  const m = Number(y);
  return Number.isFinite(n) && Number.isFinite(m) && Math.abs(n - m) < 1e-9;
}

async function mustFind(find: () => Promise<IdoItem | null>, name: string, what: string): Promise<IdoItem> {
  const row = await find();
  if (!row) throw new ConnectorError('bad_response', `CloudSuite reported ${what} as saved but Ferry cannot find the ${name} row.`, { system: 'CloudSuite', retryable: true });
  return row;
}
