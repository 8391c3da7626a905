import type { Sandbox } from '../../electron/engine/sandbox';

// The world's own fiscal periods, read from the sandbox's SLPeriods rows (not from Ferry's cache): what test
// oracles use to say which records CloudSuite would take, whatever day the world starts on.

const ymd = (day: string): string => day.slice(0, 10).replace(/-/g, '');

/** The period row holding a day (yyyy-mm-dd or an ISO instant, taken as its UTC date), or undefined. */
export function periodRowOn(sandbox: Sandbox, day: string, tenant = sandbox.tenant) {
  const d = ymd(day);
  return sandbox.runtime(tenant).ido.find('SLPeriods', (p) => (p.StartDate ?? '').slice(0, 8) <= d && d <= (p.EndDate ?? '').slice(0, 8));
}

/** CloudSuite would post something dated `day`: a period covers it and is open. */
export function periodOpenOn(sandbox: Sandbox, day: string, tenant = sandbox.tenant): boolean {
  return periodRowOn(sandbox, day, tenant)?.Stat === 'O';
}

/** "2026-10": how Ferry names the period of a day. */
export function periodNameOn(sandbox: Sandbox, day: string, tenant = sandbox.tenant): string | null {
  const p = periodRowOn(sandbox, day, tenant);
  return p ? `${p.FiscalYear}-${String(p.Period).padStart(2, '0')}` : null;
}
