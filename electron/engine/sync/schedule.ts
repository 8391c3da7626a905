import { z } from 'zod';
import { flowNames, FlowName, SchedulePreset, type Schedule } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { lastRun } from '../store/runs';
import { getScheduleRow, saveScheduleRow } from '../store/schedules';
import { describeSpec, explainNext, nextRunAfter, parseSpec, parseStored, specText, type ParsedSpec } from './schedule-spec';

// A schedule per flow of the profile: what a person sets (UI, `ferry schedule …`) and what they are shown.
// The loop that acts on it is scheduler.ts.

/** What a person may change, checked with zod; the spec itself is read by croner (schedule-spec.ts). */
const ScheduleChange = z
  .object({
    flow: FlowName,
    spec: z.string().max(200).optional(),
    preset: SchedulePreset.optional(),
    timeZone: z.string().max(64).nullable().optional(),
    paused: z.boolean().optional(),
  })
  .transform((v, ctx) => {
    if (v.spec !== undefined && v.preset !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'Give either a preset or a schedule of your own, not both.' });
      return z.NEVER;
    }
    const text = v.preset ?? v.spec;
    if (text === undefined) return { ...v, parsed: null };
    try {
      return { ...v, parsed: parseSpec(text, v.timeZone) };
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
export type ScheduleChangeInput = z.input<typeof ScheduleChange>;

// Changes made in this process wake its scheduler at once; another process's scheduler sees them on its
// next look at the table (scheduler.ts caps how long it sleeps).
const listeners = new WeakMap<Db, Set<() => void>>();

export function onScheduleChange(db: Db, fn: () => void): () => void {
  const set = listeners.get(db) ?? new Set();
  listeners.set(db, set);
  set.add(fn);
  return () => set.delete(fn);
}

const notSet = (flow: FlowName) => new FerryError('invalid_input', `${flow} has no schedule yet: choose one first, such as the preset "business-hours".`);

/** Sets, re-zones, pauses or resumes a flow's schedule; refuses anything unclear with a sentence. */
export function setSchedule(db: Db, input: ScheduleChangeInput, now = new Date()): Schedule {
  const checked = ScheduleChange.safeParse(input);
  if (!checked.success) throw new FerryError('invalid_input', checked.error.issues[0]!.message);
  const change = checked.data;
  const row = getScheduleRow(db, change.flow);
  const stored = row ? parseStored(row.spec, row.preset) : null;
  if (row && !stored && !change.parsed) {
    throw new FerryError('invalid_input', `The schedule of ${change.flow} ("${row.spec}") cannot be read: set it again.`);
  }

  let parsed: ParsedSpec | null = change.parsed;
  if (!parsed && change.timeZone !== undefined) {
    // A new zone alone keeps the expression: "the same schedule, in Chicago time".
    if (!stored) throw notSet(change.flow);
    if (stored.kind !== 'cron') throw new FerryError('invalid_input', `A time zone applies only to a preset or a cron expression; ${change.flow} runs ${describeSpec(stored)} in any time zone.`);
    parsed = parseSpec(stored.preset ?? stored.cron, change.timeZone);
  }
  if (!parsed) {
    if (change.paused === undefined) throw new FerryError('invalid_input', 'Say what to change: a schedule (a preset, an interval or a cron expression), or pause or resume it.');
    if (!row || !stored) throw notSet(change.flow);
    // Pausing a paused schedule or resuming a running one changes nothing, not even the next run.
    if (row.paused === change.paused) return scheduleView(db, change.flow, now);
    parsed = stored;
  }

  const paused = change.paused ?? row?.paused ?? false;
  const next = paused ? null : nextRunAfter(parsed, now);
  saveScheduleRow(db, {
    flow: change.flow,
    spec: specText(parsed),
    preset: parsed.kind === 'cron' ? parsed.preset : null,
    paused,
    nextRunAt: next?.toISOString() ?? null,
    updatedAt: now.toISOString(),
  });
  for (const fn of listeners.get(db) ?? []) fn();
  return scheduleView(db, change.flow, now);
}

/** A flow's schedule as a person reads it, with the next run in words. */
export function scheduleView(db: Db, flow: FlowName, now = new Date()): Schedule {
  const row = getScheduleRow(db, flow);
  const base = { flow, lastRun: lastRun(db, flow), lastRunAt: row?.lastRunAt ?? null, paused: row?.paused ?? false };
  if (!row) {
    return { ...base, scheduled: false, spec: null, preset: null, timeZone: null, description: 'not scheduled', nextRunAt: null, nextRun: 'runs only when started by hand' };
  }
  const p = parseStored(row.spec, row.preset);
  if (!p) {
    return { ...base, scheduled: true, spec: row.spec, preset: null, timeZone: null, description: `"${row.spec}"`, nextRunAt: null, nextRun: 'Ferry cannot read this schedule: set it again' };
  }
  const zone = p.kind === 'cron' ? p.timeZone : null;
  return {
    ...base,
    scheduled: true,
    spec: p.kind === 'cron' ? p.cron : p.text,
    preset: p.kind === 'cron' ? p.preset : null,
    timeZone: zone,
    description: describeSpec(p),
    nextRunAt: row.paused ? null : row.nextRunAt,
    nextRun: row.paused ? 'paused: resume it to run on schedule' : explainNext(row.nextRunAt ? new Date(row.nextRunAt) : null, now, zone),
  };
}

export function listSchedules(db: Db, now = new Date()): Schedule[] {
  return flowNames.map((flow) => scheduleView(db, flow, now));
}
