import { z } from 'zod';

/** "" becomes null; everything else is returned unchanged. */
export function emptyToNull<T>(value: T | '' | null | undefined): T | null | undefined {
  return value === '' ? null : value;
}

/**
 * A non-guaranteed string field: absent, null, "" (normalised to null), or a string. Numbers are kept as
 * strings because SIS exports sometimes type ids as numeric columns. Any other type is dropped to null
 * rather than failing the record.
 * NOTE: empty values often arrive as "" rather than absent.
 */
export const optionalString = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .transform(emptyToNull)
  .catch(null);

/** A non-guaranteed list of ids or strings (schools, teachers, ...): non-string and "" entries dropped. */
export const optionalStringList = z
  .array(z.unknown())
  .nullish()
  .transform((list) =>
    list == null ? list : list.filter((id): id is string => typeof id === 'string' && id !== ''),
  )
  .catch(null);

/** A non-guaranteed nested object (`ext`, `location`, ...): kept as-is when it is an object, else null. */
export function optionalObject<S extends z.ZodType>(schema: S) {
  return schema.nullish().catch(null);
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
