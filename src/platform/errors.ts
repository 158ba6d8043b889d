/**
 * The one error type every layer throws for a failure a user can cause. It carries a stable dotted
 * code (the UI and API clients branch on it), an HTTP status, and a Vietnamese message.
 * Pure: no HTTP or database imports, so library modules (signing, edXML) use it too.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, status: number, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export type ErrorSpec = { code: string; status: number; message: string };

/** Makes a factory for one error code: `export const notFound = errorFactory({...}); throw notFound()`. */
export function errorFactory(spec: ErrorSpec) {
  const make = (details?: unknown, options?: { message?: string; cause?: unknown }) =>
    new AppError(spec.code, spec.status, options?.message ?? spec.message, details, { cause: options?.cause });
  return Object.assign(make, { code: spec.code, status: spec.status, message: spec.message });
}

/** True when `error` is an AppError with the given code (or any AppError without one). */
export function isAppError(error: unknown, code?: string): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
