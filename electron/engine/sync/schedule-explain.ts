import { FerryError } from '../../../shared/errors';
import { describeSpec, explainNext, nextRunAfter, parseSpec } from './schedule-spec';

/** A schedule a person is typing, in words, with its next three runs: shown before it is saved. */
export function explainSchedule(input: string, timeZone: string | null, now = new Date()): { description: string; nextRun: string; nextRuns: string[] } {
  if (!input.trim()) throw new FerryError('invalid_input', 'Choose a preset or type a schedule, such as "every 15m" or a cron expression like "0 7 * * 1-5".');
  const parsed = parseSpec(input, timeZone);
  const runs: Date[] = [];
  let from = now;
  for (let i = 0; i < 3; i++) {
    const next = nextRunAfter(parsed, from);
    if (!next) break;
    runs.push(next);
    from = next;
  }
  return { description: describeSpec(parsed), nextRun: explainNext(runs[0] ?? null, now, parsed.kind === 'cron' ? parsed.timeZone : null), nextRuns: runs.map((d) => d.toISOString()) };
}
