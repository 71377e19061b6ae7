import { z } from 'zod';

/** "" becomes null; everything else is returned unchanged. */
export function emptyToNull<T>(value: T | '' | null | undefined): T | null | undefined {
  return value === '' ? null : value;
}

/**
 * A non-guaranteed string field: absent, null, "" (normalised to null), or a string. Numbers are kept as
 * strings because SIS exports sometimes type ids as numeric columns. Any other type (a boolean, an object,
 * NaN) is dropped to null rather than failing the record.
 * NOTE: empty values often arrive as "" rather than absent.
 * One function rather than a chain of zod wrappers: a user record's schema has ~60 such fields, absent ones
 * included, and each wrapper allocated per field (a full sync validates every user it has not seen).
 */
export const optionalString = z.unknown().transform(toOptionalString).optional();

function toOptionalString(value: unknown): string | null | undefined {
  if (typeof value === 'string') return value === '' ? null : value;
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/** A non-guaranteed list of ids or strings (schools, teachers, ...): non-string and "" entries dropped. */
export const optionalStringList = z.unknown().transform(toOptionalStringList).optional();

function toOptionalStringList(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) return null;
  return value.filter((id): id is string => typeof id === 'string' && id !== '');
}

/** A non-guaranteed nested object (`ext`, `location`, ...): kept as-is when it is an object, else null. */
export function optionalObject<S extends z.ZodType>(schema: S) {
  // `.optional()` outermost: an absent key (most of a record's nested objects) costs nothing.
  return schema.nullable().catch(null).optional();
}

/** A free-form object such as `ext` (district-defined keys). */
export const optionalRecord = optionalObject(z.record(z.string(), z.unknown()));

/** A guaranteed Clever id: a non-empty string. The format (24-hex ObjectId) is not checked on purpose. */
export const requiredId = z.string().min(1);

/** A simplified, value-free description of a validation problem (safe to log: no student data). */
export interface CleverValidationIssue {
  path: string;
  code: string;
  message: string;
}

export function toIssues(error: z.ZodError): CleverValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}
