/** Calendar days and wall clocks as Vietnam counts them (Asia/Ho_Chi_Minh), and days as Vietnamese write them. */

// Built once, on first use: constructing an Intl.DateTimeFormat costs far more than formatting with it, and
// one made when the module loads would hold ICU objects a startup snapshot cannot keep (`vanthu verify`'s
// snapshot imports this module through the verifier: its build fails with «global handle not serialized»).
let vietnam: Intl.DateTimeFormat | undefined;
const vietnamFormat = () => (vietnam ??= new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
}));

// Vietnam has kept UTC+7 without daylight saving since June 1975 (tz database, Asia/Ho_Chi_Minh): from
// 1976 to 9999 the parts are plain arithmetic, ~50 times cheaper than formatToParts; other instants go
// through Intl.
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const FIXED_FROM = Date.UTC(1976, 0, 1);
const FIXED_UNTIL = Date.UTC(9999, 11, 31) - VIETNAM_OFFSET_MS;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export type ClockParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

/** The wall clock of an instant at UTC+7 by plain arithmetic (Vietnam time since 1976), two-digit parts but the year. */
export function utcPlus7Parts(date: Date): ClockParts {
  const d = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return {
    year: String(d.getUTCFullYear()), month: two(d.getUTCMonth() + 1), day: two(d.getUTCDate()),
    hour: two(d.getUTCHours()), minute: two(d.getUTCMinutes()), second: two(d.getUTCSeconds()),
  };
}

/** The wall clock of an instant in Vietnam, any date (two-digit parts but the year). */
export function vietnamParts(date: Date): ClockParts {
  const t = date.getTime();
  if (t >= FIXED_FROM && t < FIXED_UNTIL) return utcPlus7Parts(date);
  return Object.fromEntries(vietnamFormat().formatToParts(date).map((p) => [p.type, p.value])) as ClockParts;
}

/** The day in Vietnam of an instant, YYYY-MM-DD (today by default). */
export const vietnamDay = (at: Date = new Date()): string => {
  const p = vietnamParts(at);
  return `${p.year}-${p.month}-${p.day}`;
};

/**
 * The next 07:00 in Vietnam (UTC+7, no daylight saving) after `now`: when the daily reminder jobs run
 * (incoming deadlines, work files due for hand-over, expiring certificates).
 */
export function nextReminderAt(now: Date = new Date()): Date {
  const [y, m, d] = vietnamDay(now).split('-').map(Number) as [number, number, number];
  const at = Date.UTC(y, m - 1, d, 0, 0, 0);
  return new Date(at > now.getTime() ? at : at + 86_400_000);
}

/** A day (YYYY-MM-DD, or the date part of an ISO timestamp) as Vietnamese write it: 05/03/2026. */
export const vnDay = (iso: string): string => iso.slice(0, 10).split('-').reverse().join('/');
