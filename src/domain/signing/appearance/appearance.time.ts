/**
 * Vietnamese date/time formatting for stamps, in Asia/Ho_Chi_Minh whatever the machine's TZ.
 * Vietnam has kept UTC+07:00 without daylight saving since 1975, so a fixed offset is exact and needs
 * no ICU time-zone data.
 */
const VN_OFFSET_MS = 7 * 3600 * 1000;

type Parts = { day: number; month: number; year: number; hour: number; minute: number; second: number };

function vnParts(date: Date): Parts {
  const d = new Date(date.getTime() + VN_OFFSET_MS);
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `dd/MM/yyyy` in Vietnam time, e.g. `05/03/2026`. */
export function formatVnDate(date: Date): string {
  const p = vnParts(date);
  return `${two(p.day)}/${two(p.month)}/${p.year}`;
}

/** `HH:mm:ss +07:00` in Vietnam time (ISO 8601 offset), e.g. `14:30:05 +07:00`. */
export function formatVnTime(date: Date): string {
  const p = vnParts(date);
  return `${two(p.hour)}:${two(p.minute)}:${two(p.second)} +07:00`;
}

/** `dd/MM/yyyy HH:mm:ss +07:00`, e.g. `05/03/2026 14:30:05 +07:00`; `separator` goes between date and time. */
export function formatSigningTime(date: Date, separator = ' '): string {
  return `${formatVnDate(date)}${separator}${formatVnTime(date)}`;
}

/** ISO 8601 with the Vietnam offset: `2026-03-05T14:30:05+07:00`. */
export function formatIsoVn(date: Date): string {
  const p = vnParts(date);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}+07:00`;
}

/**
 * The ô 4 line "Hà Nội, ngày 05 tháng 3 năm 2026" (ND 30 Phụ lục I, Mục II, khoản 4: days below 10 and
 * months 1 and 2 get a leading zero: "ngày 05 tháng 02", "ngày 15 tháng 12").
 */
export function formatIssueDate(place: string, date: Date): string {
  const p = vnParts(date);
  const month = p.month < 3 ? two(p.month) : String(p.month);
  return `${place.trim()}, ngày ${two(p.day)} tháng ${month} năm ${p.year}`;
}

/** The số/ký hiệu "05/QĐ-UBND" (numbers below 10 get a leading zero; ký hiệu upper-cased). */
export function formatDocumentNumber(number: number, notation: string): string {
  return `${two(number)}/${notation.trim().toLocaleUpperCase('vi')}`;
}
