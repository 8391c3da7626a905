// Jira's date formats. REST v3 writes dates as 2021-01-17T12:34:00.000+0000 (offset without a colon, never
// "Z"), and a worklog's `started` keeps the offset of whoever logged it, so the wall-clock day of the work
// survives the trip. Zone offsets come from Intl, so daylight saving time is right without a tz library.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC that `timeZone` is at `instant`. */
export function offsetMinutes(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function localToInstant(timeZone: string, y: number, month: number, d: number, h: number, min: number): number {
  const wall = Date.UTC(y, month - 1, d, h, min);
  let instant = wall - offsetMinutes(timeZone, wall) * 60_000;
  // One correction step settles the offset when the first guess landed across a DST change.
  const corrected = wall - offsetMinutes(timeZone, instant) * 60_000;
  if (corrected !== instant) instant = corrected;
  return instant;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** yyyy-MM-ddTHH:mm:ss.SSS±hhmm at the given offset (minutes east of UTC). */
export function formatJiraDate(instant: number, offsetMin = 0): string {
  const local = new Date(instant + offsetMin * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

export function formatInZone(instant: number, timeZone: string): string {
  return formatJiraDate(instant, offsetMinutes(timeZone, instant));
}

const JIRA_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$/;

/** Parses Jira's own format only, as Jira does for worklog `started`; null when it is anything else. */
export function parseJiraDate(text: string): { instant: number; offsetMin: number } | null {
  const m = JIRA_DATE.exec(text);
  if (!m) return null;
  const n = (i: number): number => Number(m[i]);
  const [y, mo, d, h, mi, s, ms, oh, om] = [n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(9), n(10)];
  const offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 || oh > 14 || om > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (new Date(wall).getUTCDate() !== d) return null; // 2021-02-30 and the like
  return { instant: wall - offsetMin * 60_000, offsetMin };
}

// Jira's default time tracking: 8-hour days, 5-day weeks.
const UNITS: [string, number][] = [
  ['w', 5 * 8 * 3600],
  ['d', 8 * 3600],
  ['h', 3600],
  ['m', 60],
];

/** 9000 → "2h 30m", as Jira renders timeSpent. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds / 60) * 60);
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : '0m';
}

/** "1d 2h 30m" → seconds; a bare number means minutes (Jira's rule); null when unreadable. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 60);
  const re = /(\d+(?:\.\d+)?)\s*([wdhm])/g;
  let total = 0;
  let consumed = '';
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * UNITS.find(([u]) => u === m[2])![1];
    consumed += m[0];
  }
  if (!consumed || consumed.replace(/\s/g, '') !== t.replace(/\s/g, '')) return null;
  return Math.round(total);
}
