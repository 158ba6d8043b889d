import { validator } from 'hono-openapi';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';
import { AppError } from '../errors.ts';

// Field messages from zod's built-in checks in Vietnamese, like every other message users see.
z.config(z.locales.vi());

type Issue = { path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string };

const fail = (issues: readonly Issue[]): never => {
  const fields = issues.map((i) => ({
    path: (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'),
    message: i.message,
  }));
  throw new AppError('request.invalid', 400, 'Dữ liệu gửi lên không hợp lệ.', { fields });
};

const hook = (result: { success: boolean; error?: readonly Issue[] }) => {
  if (!result.success) fail(result.error ?? []);
};

/** Validates the JSON body with a zod schema; 400 `request.invalid` with field details otherwise. */
export const zJson = <S extends StandardSchemaV1>(schema: S) => validator('json', schema, hook);
/** Validates path parameters. */
export const zParam = <S extends StandardSchemaV1>(schema: S) => validator('param', schema, hook);
/** Validates the query string. */
export const zQuery = <S extends StandardSchemaV1>(schema: S) => validator('query', schema, hook);
