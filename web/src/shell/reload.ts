const RELOADED_AT = 'vanthu.reloadedForNewVersion';

/**
 * Whether an error is the browser failing to fetch a piece of the app's code: a new version was installed
 * while the page was open (the old pieces are gone from the server), or the network dropped on the way.
 * The messages are Chromium's, Firefox's and Safari's for a failed `import()`, and Vite's for its preload.
 */
export function isCodeLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return /dynamically imported module|Importing a module script failed|Failed to load module script|Unable to preload CSS/i.test(message);
}

/** Whether the page was reloaded for a new version less than a minute ago (a reload did not help: then it is the network). */
export function reloadedLately(): boolean {
  try {
    return Date.now() - Number(sessionStorage.getItem(RELOADED_AT) ?? 0) < 60_000;
  } catch {
    return true; // no storage: never reload on our own, the person presses «Tải lại trang»
  }
}

/** Reloads the page to fetch the app's new version, at most once a minute; false (nothing done) when it did lately. */
export function reloadForNewVersion(): boolean {
  if (reloadedLately()) return false;
  sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  window.location.reload();
  return true;
}
