import { vietnamDay } from '../../platform/dates.ts';
import { reportPeriodInvalid } from './reports.errors.ts';
import type { TReportQuery } from './reports.schemas.ts';

/** A report period as Vietnam calendar days (inclusive), with the day its open work is judged on. */
export type ReportPeriod = { from: string; to: string; asOf: string };

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/**
 * Resolves the quick picks against today's Vietnam date: tháng này, quý này, năm nay, or a range.
 * Open work is judged as of the end of the period, or today for a period not over yet.
 * Throws reports.period_invalid (a range without both ends, backwards, or longer than 5 years).
 */
export function resolvePeriod(q: Pick<TReportQuery, 'period' | 'from' | 'to'>, today = vietnamDay()): ReportPeriod {
  const [y, m] = today.split('-').map(Number) as [number, number];
  let from: string;
  let to: string;
  if (q.period === 'range') {
    if (!q.from || !q.to || q.to < q.from || Date.parse(q.to) - Date.parse(q.from) > 5 * 366 * 86_400_000) throw reportPeriodInvalid();
    ({ from, to } = { from: q.from, to: q.to });
  } else if (q.period === 'year') {
    ({ from, to } = { from: iso(y, 1, 1), to: iso(y, 12, 31) });
  } else if (q.period === 'quarter') {
    const first = Math.floor((m - 1) / 3) * 3 + 1;
    ({ from, to } = { from: iso(y, first, 1), to: iso(y, first + 3, 0) });
  } else {
    ({ from, to } = { from: iso(y, m, 1), to: iso(y, m + 1, 0) });
  }
  return { from, to, asOf: to < today ? to : today };
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

/**
 * The period as a download's name says it, in Vietnamese without diacritics: «thang-12-2026», «quy-4-2026», «nam-2026», or
 * «tu-01-11-2026-den-15-12-2026» — so two months' reports saved side by side are told apart (the name said «month» before).
 */
export function periodFileName(p: Pick<ReportPeriod, 'from' | 'to'>): string {
  const [y, m, d] = p.from.split('-').map(Number) as [number, number, number];
  const dmy = (day: string) => day.split('-').reverse().join('-');
  if (d === 1 && p.to === iso(y, m + 1, 0)) return `thang-${String(m).padStart(2, '0')}-${y}`;
  if (d === 1 && m % 3 === 1 && p.to === iso(y, m + 3, 0)) return `quy-${(m + 2) / 3}-${y}`;
  if (d === 1 && m === 1 && p.to === iso(y, 12, 31)) return `nam-${y}`;
  return `tu-${dmy(p.from)}-den-${dmy(p.to)}`;
}
