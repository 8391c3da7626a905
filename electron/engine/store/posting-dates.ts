import type { Db } from './db';

// Accounting dates a person chose for records dated in a closed fiscal period (see mapping/periods.ts). The
// flow reads it every time it maps the record, so an automatic retry keeps the choice too.

export interface PostingDate {
  flow: string;
  sourceKey: string;
  postingDate: string;
  period: string;
  closedPeriod: string;
  recordDate: string;
  chosenAt: string;
}

interface Row {
  flow: string;
  source_key: string;
  posting_date: string;
  period: string;
  closed_period: string;
  record_date: string;
  chosen_at: string;
}

const toPostingDate = (r: Row): PostingDate => ({
  flow: r.flow,
  sourceKey: r.source_key,
  postingDate: r.posting_date,
  period: r.period,
  closedPeriod: r.closed_period,
  recordDate: r.record_date,
  chosenAt: r.chosen_at,
});

export function getPostingDate(db: Db, flow: string, sourceKey: string): PostingDate | null {
  const row = db.prepare('SELECT * FROM posting_dates WHERE flow = ? AND source_key = ?').get(flow, sourceKey) as Row | undefined;
  return row ? toPostingDate(row) : null;
}

/** The accounting date alone, or null: what mapping code asks. */
export const postingDateOf = (db: Db, flow: string, sourceKey: string): string | null => getPostingDate(db, flow, sourceKey)?.postingDate ?? null;

export function setPostingDate(db: Db, p: Omit<PostingDate, 'chosenAt'>): PostingDate {
  const chosenAt = new Date().toISOString();
  db.prepare(
    `INSERT INTO posting_dates (flow, source_key, posting_date, period, closed_period, record_date, chosen_at)
     VALUES (@flow, @sourceKey, @postingDate, @period, @closedPeriod, @recordDate, @chosenAt)
     ON CONFLICT (flow, source_key) DO UPDATE SET posting_date = excluded.posting_date, period = excluded.period,
       closed_period = excluded.closed_period, record_date = excluded.record_date, chosen_at = excluded.chosen_at`,
  ).run({ ...p, chosenAt });
  return { ...p, chosenAt };
}
