import { Cron } from 'croner';
import { schedulePresets, type SchedulePreset } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';

// What a schedule says, parsed: a cron expression (5 fields, or 6 with seconds) in a time zone, or a fixed
// interval between runs. Pure: no database, no timers, so every rule here is tested with plain dates.

/** Presets that fit a procurement cycle; the cron expression is what is stored, the name is kept beside it. */
export const presets: Record<SchedulePreset, { cron: string; words: string }> = {
  'business-hours': { cron: '*/15 7-18 * * 1-5', words: 'every 15 min, 07:00–18:59 Mon–Fri' },
  hourly: { cron: '0 * * * *', words: 'every hour on the hour' },
  nightly: { cron: '30 2 * * *', words: 'every night at 02:30' },
};

export type ParsedSpec =
  | { kind: 'cron'; cron: string; timeZone: string | null; preset: SchedulePreset | null }
  | { kind: 'interval'; ms: number; text: string };

const HELP = `use a preset (${schedulePresets.join(', ')}), an interval like "every 15m", or a cron expression such as "*/15 7-18 * * 1-5"`;
const notUnderstood = (text: string) => new FerryError('invalid_input', `"${text}" is not a schedule Ferry understands: ${HELP}.`);

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Seconds exist for tests and demos; a real tenant's request budget wants minutes.
const INTERVAL = /^every\s+(\d{1,6})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;
const MAX_INTERVAL_MS = 7 * UNITS.d!;
// The conventional cronie prefix, so a stored spec carries its own zone and the table needs no extra column.
const CRON_TZ = /^CRON_TZ=(\S+)\s+(.*)$/;

/** A time zone name as the system knows it (Intl's canonical spelling), or a sentence saying what to type. */
export function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new FerryError(
      'invalid_input',
      `"${zone}" is not a time zone Ferry knows: use a name such as "Europe/Berlin" or "America/Chicago", or leave it out to use this computer's time zone.`,
    );
  }
}

/**
 * Reads what a person typed (a preset name, "every 15m", or a cron expression, optionally with a time zone)
 * and refuses anything else with a sentence. `timeZone` null or absent: the workstation's zone at run time.
 */
export function parseSpec(input: string, timeZone?: string | null): ParsedSpec {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 200) throw notUnderstood(input.trim().slice(0, 60));
  let zone = timeZone ? checkTimeZone(timeZone) : null;

  const interval = INTERVAL.exec(text);
  if (interval) {
    if (zone) {
      throw new FerryError('invalid_input', `A time zone applies only to a preset or a cron expression; "${text}" runs at that interval in any time zone.`);
    }
    const unit = interval[2]!.toLowerCase().startsWith('mi') ? 'm' : interval[2]!.toLowerCase()[0]!;
    const ms = Number(interval[1]) * UNITS[unit]!;
    if (ms < 1_000 || ms > MAX_INTERVAL_MS) {
      throw new FerryError('invalid_input', `"${text}" is not an interval Ferry can keep: use a number of minutes or hours up to 7 days, such as "every 15m" or "every 2h".`);
    }
    return { kind: 'interval', ms, text: `every ${Number(interval[1])}${unit}` };
  }

  if ((schedulePresets as readonly string[]).includes(text.toLowerCase())) {
    const preset = text.toLowerCase() as SchedulePreset;
    return { kind: 'cron', cron: presets[preset].cron, timeZone: zone, preset };
  }

  let cron = text;
  const prefixed = CRON_TZ.exec(text);
  if (prefixed) {
    zone = zone ?? checkTimeZone(prefixed[1]!);
    cron = prefixed[2]!;
  }
  // Croner also reads 7 fields and @nicknames; Ferry promises 5 or 6 fields, so it checks the count itself.
  const fields = cron.split(' ');
  if (fields.length < 5 || fields.length > 6 || fields.some((f) => f.startsWith('@'))) throw notUnderstood(text);
  const parsed: ParsedSpec = { kind: 'cron', cron, timeZone: zone, preset: null };
  let next: Date | null;
  try {
    next = nextRunAfter(parsed, new Date());
  } catch {
    throw notUnderstood(text);
  }
  if (!next) throw new FerryError('invalid_input', `"${text}" never comes round (no date matches it): ${HELP}.`);
  return parsed;
}

/** The spec as stored in `schedules.spec`: the cron expression (with its zone) or the normalised interval. */
export function specText(p: ParsedSpec): string {
  if (p.kind === 'interval') return p.text;
  return p.timeZone ? `CRON_TZ=${p.timeZone} ${p.cron}` : p.cron;
}

/** Reads a stored spec back; null when it was edited by hand into something Ferry cannot use. */
export function parseStored(spec: string, preset: string | null): ParsedSpec | null {
  try {
    const p = parseSpec(spec);
    if (p.kind === 'cron' && preset && (schedulePresets as readonly string[]).includes(preset) && presets[preset as SchedulePreset].cron === p.cron) {
      return { ...p, preset: preset as SchedulePreset };
    }
    return p;
  } catch {
    return null;
  }
}

/** The first run strictly after `from`; null when a cron expression has no further date. */
export function nextRunAfter(p: ParsedSpec, from: Date): Date | null {
  if (p.kind === 'interval') return new Date(from.getTime() + p.ms);
  const cron = new Cron(p.cron, { mode: '5-or-6-parts', timezone: p.timeZone ?? undefined, paused: true });
  return cron.nextRun(from);
}

// ---- in words ------------------------------------------------------------------------------------------

const UNIT_WORDS: Record<string, [string, string]> = { s: ['second', 'seconds'], m: ['minute', 'min'], h: ['hour', 'hours'], d: ['day', 'days'] };

/** "business-hours (every 15 min, 07:00–18:59 Mon–Fri)", "every 2 hours", "cron 0 6 * * 1 (Europe/Berlin)". */
export function describeSpec(p: ParsedSpec): string {
  if (p.kind === 'interval') {
    const [, n, unit] = /^every (\d+)([smhd])$/.exec(p.text)!;
    const [one, many] = UNIT_WORDS[unit!]!;
    return Number(n) === 1 ? `every ${one}` : `every ${n} ${many}`;
  }
  const zone = p.timeZone ? `${p.timeZone} time` : null;
  if (p.preset) return `${p.preset} (${presets[p.preset].words}${zone ? `, ${zone}` : ''})`;
  return `cron "${p.cron}"${zone ? ` (${zone})` : ''}`;
}

/** "Mon 24 Nov 07:00", in the schedule's zone or the workstation's. */
export function formatWhen(at: Date, timeZone: string | null = null): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: timeZone ?? undefined,
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
}

/** "2 h 14 min", "45 s", "3 d 4 h": how long a person waits, to the minute once it is more than one. */
export function durationWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  return h % 24 === 0 ? `${Math.floor(h / 24)} d` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "next run Mon 24 Nov 07:00 (in 2 h 14 min)", or why there is none. */
export function explainNext(next: Date | null, now: Date, timeZone: string | null = null): string {
  if (!next) return 'no next run';
  const ms = next.getTime() - now.getTime();
  if (ms <= 0) return `due since ${formatWhen(next, timeZone)}: runs as soon as Ferry is syncing`;
  return `next run ${formatWhen(next, timeZone)}${timeZone ? ` ${timeZone}` : ''} (in ${durationWords(ms)})`;
}
