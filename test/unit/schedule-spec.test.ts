import { describe, expect, it } from 'vitest';
import {
  describeSpec,
  durationWords,
  explainNext,
  nextRunAfter,
  parseSpec,
  parseStored,
  specText,
} from '../../electron/engine/sync/schedule-spec';

// What a person may type as a schedule, what Ferry stores, and how it says when the next run is.

const HELP = 'use a preset (business-hours, hourly, nightly), an interval like "every 15m", or a cron expression such as "*/15 7-18 * * 1-5".';
const refused = (text: string, tz?: string) => {
  try {
    parseSpec(text, tz);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`"${text}" was accepted`);
};
// Saturday 22 November 2025, 10:00 UTC.
const SAT = new Date('2025-11-22T10:00:00Z');

describe('parseSpec', () => {
  it('reads the presets (any case) as their cron expressions and keeps the name', () => {
    expect(parseSpec('business-hours')).toEqual({ kind: 'cron', cron: '*/15 7-18 * * 1-5', timeZone: null, preset: 'business-hours' });
    expect(parseSpec('Hourly')).toMatchObject({ cron: '0 * * * *', preset: 'hourly' });
    expect(parseSpec(' nightly ')).toMatchObject({ cron: '30 2 * * *', preset: 'nightly' });
  });

  it('reads cron expressions of 5 fields, and 6 with seconds, in a time zone', () => {
    expect(parseSpec('0  6 * * 1')).toEqual({ kind: 'cron', cron: '0 6 * * 1', timeZone: null, preset: null });
    expect(parseSpec('*/30 * * * * *')).toMatchObject({ kind: 'cron', cron: '*/30 * * * * *' });
    expect(parseSpec('0 6 * * 1', 'europe/berlin')).toMatchObject({ timeZone: 'Europe/Berlin' });
  });

  it('reads intervals in seconds, minutes, hours and days, and writes them one way', () => {
    expect(parseSpec('every 15m')).toEqual({ kind: 'interval', ms: 15 * 60_000, text: 'every 15m' });
    expect(parseSpec('every 15 minutes')).toMatchObject({ ms: 15 * 60_000, text: 'every 15m' });
    expect(parseSpec('Every 2h')).toMatchObject({ ms: 2 * 3_600_000, text: 'every 2h' });
    expect(parseSpec('every 1s')).toMatchObject({ ms: 1_000, text: 'every 1s' });
    expect(parseSpec('every 1 day')).toMatchObject({ ms: 86_400_000, text: 'every 1d' });
  });

  it('refuses what it does not understand with one sentence a person can act on', () => {
    for (const bad of ['hello', '61 * * * *', '* * * *', '0 0 1 1 * * 2030', '@daily', '*/0 * * * *', 'every', 'every 5 fortnights', 'weekly']) {
      expect(refused(bad)).toBe(`"${bad}" is not a schedule Ferry understands: ${HELP}`);
    }
    expect(refused('0 0 30 2 *')).toBe(`"0 0 30 2 *" never comes round (no date matches it): ${HELP}`);
    expect(refused('every 0m')).toMatch(/^"every 0m" is not an interval Ferry can keep: use a number of minutes or hours up to 7 days/);
    expect(refused('every 8d')).toMatch(/^"every 8d" is not an interval Ferry can keep/);
    expect(refused('nightly', 'Mars/Olympus')).toBe(
      `"Mars/Olympus" is not a time zone Ferry knows: use a name such as "Europe/Berlin" or "America/Chicago", or leave it out to use this computer's time zone.`,
    );
    expect(refused('every 15m', 'Europe/Berlin')).toBe('A time zone applies only to a preset or a cron expression; "every 15m" runs at that interval in any time zone.');
  });
});

describe('stored specs', () => {
  it('carry their time zone as a CRON_TZ prefix and read back the same', () => {
    const p = parseSpec('business-hours', 'America/Chicago');
    expect(specText(p)).toBe('CRON_TZ=America/Chicago */15 7-18 * * 1-5');
    expect(parseStored(specText(p), 'business-hours')).toEqual(p);
    expect(parseStored('every 15m', null)).toEqual(parseSpec('every 15m'));
    // A hand-edited row Ferry cannot use is reported, not thrown.
    expect(parseStored('every tuesday-ish', null)).toBeNull();
    // A preset name beside a different expression is not believed.
    expect(parseStored('0 5 * * *', 'nightly')).toMatchObject({ preset: null });
  });
});

describe('nextRunAfter', () => {
  it('business hours: from Saturday to Monday 07:00 in the schedule’s zone', () => {
    expect(nextRunAfter(parseSpec('business-hours', 'UTC'), SAT)!.toISOString()).toBe('2025-11-24T07:00:00.000Z');
    expect(nextRunAfter(parseSpec('business-hours', 'Europe/Berlin'), SAT)!.toISOString()).toBe('2025-11-24T06:00:00.000Z');
    expect(nextRunAfter(parseSpec('business-hours', 'UTC'), new Date('2025-11-24T18:50:00Z'))!.toISOString()).toBe('2025-11-25T07:00:00.000Z');
  });

  it('hourly, nightly and intervals', () => {
    expect(nextRunAfter(parseSpec('hourly', 'UTC'), SAT)!.toISOString()).toBe('2025-11-22T11:00:00.000Z');
    expect(nextRunAfter(parseSpec('nightly', 'UTC'), SAT)!.toISOString()).toBe('2025-11-23T02:30:00.000Z');
    expect(nextRunAfter(parseSpec('every 15m'), SAT)!.toISOString()).toBe('2025-11-22T10:15:00.000Z');
  });
});

describe('in words', () => {
  it('describes a schedule', () => {
    expect(describeSpec(parseSpec('business-hours'))).toBe('business-hours (every 15 min, 07:00–18:59 Mon–Fri)');
    expect(describeSpec(parseSpec('nightly', 'Europe/Berlin'))).toBe('nightly (every night at 02:30, Europe/Berlin time)');
    expect(describeSpec(parseSpec('every 15m'))).toBe('every 15 min');
    expect(describeSpec(parseSpec('every 1m'))).toBe('every minute');
    expect(describeSpec(parseSpec('every 2h'))).toBe('every 2 hours');
    expect(describeSpec(parseSpec('0 6 * * 1', 'UTC'))).toBe('cron "0 6 * * 1" (UTC time)');
  });

  it('says how long until the next run', () => {
    expect(durationWords(45_000)).toBe('45 s');
    expect(durationWords(14 * 60_000 + 59_000)).toBe('14 min');
    expect(durationWords(2 * 3_600_000 + 14 * 60_000 + 30_000)).toBe('2 h 14 min');
    expect(durationWords(3 * 3_600_000)).toBe('3 h');
    expect(durationWords(27 * 3_600_000 + 5 * 60_000)).toBe('1 d 3 h');
  });

  it('explains the next run in the schedule’s zone, or this computer’s', () => {
    const next = new Date('2025-11-24T07:00:00Z');
    const now = new Date('2025-11-24T04:46:00Z');
    expect(explainNext(next, now, 'UTC')).toBe('next run Mon 24 Nov 07:00 UTC (in 2 h 14 min)');
    expect(explainNext(next, now, 'America/New_York')).toBe('next run Mon 24 Nov 02:00 America/New_York (in 2 h 14 min)');
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      expect(explainNext(next, now)).toBe('next run Mon 24 Nov 08:00 (in 2 h 14 min)');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(explainNext(now, next, 'UTC')).toBe('due since Mon 24 Nov 04:46: runs as soon as Ferry is syncing');
    expect(explainNext(null, now)).toBe('no next run');
  });
});
