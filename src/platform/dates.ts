/** Calendar days as Vietnam counts them (Asia/Ho_Chi_Minh), and as Vietnamese write them. */

const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day in Vietnam of an instant, YYYY-MM-DD (today by default). */
export const vietnamDay = (at: Date = new Date()): string => VIETNAM_DAY.format(at);

/** A day (YYYY-MM-DD, or the date part of an ISO timestamp) as Vietnamese write it: 05/03/2026. */
export const vnDay = (iso: string): string => iso.slice(0, 10).split('-').reverse().join('/');
