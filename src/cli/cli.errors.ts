import { AppError } from '../platform/errors.ts';

/** Prints an error that escaped a command and returns the exit code: 65 for an AppError a user caused, 70 otherwise. */
export function reportCliError(error: unknown): number {
  if (error instanceof AppError) {
    console.error(`Lỗi [${error.code}]: ${error.message}`);
    return error.status >= 500 ? 70 : 65;
  }
  console.error(error);
  return 70;
}
