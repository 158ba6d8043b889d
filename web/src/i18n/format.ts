const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function parts(value: string | Date): Record<string, string> | null {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  return Object.fromEntries(PARTS.formatToParts(date).map((p) => [p.type, p.value]));
}

/** A date the Vietnamese way, dd/MM/yyyy, in Vietnam's time zone; '—' for none. */
export function formatDate(value: string | Date | null | undefined): string {
  const p = value ? parts(value) : null;
  return p ? `${p.day}/${p.month}/${p.year}` : '—';
}

/** dd/MM/yyyy HH:mm in Vietnam's time zone; '—' for none. */
export function formatDateTime(value: string | Date | null | undefined): string {
  const p = value ? parts(value) : null;
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '—';
}

/** HH:mm dd/MM/yyyy in Vietnam's time zone, the time first as a notice says when it came; '—' for none. */
export function formatTimeDate(value: string | Date | null | undefined): string {
  const p = value ? parts(value) : null;
  return p ? `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}` : '—';
}

/** The year in Vietnam (today by default). */
export function yearInVietnam(now: Date = new Date()): number {
  return Number(parts(now)?.year);
}

/** The hour of day (0–23) in Vietnam, for greetings. */
export function hourInVietnam(now: Date = new Date()): number {
  return Number(parts(now)?.hour ?? '12');
}
