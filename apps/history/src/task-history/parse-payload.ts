import { z } from 'zod';
import { ValidationError } from '@jarvis/contracts';

/** Validates a NATS payload at the edge; a bad one is a VALIDATION_FAILED naming each field. */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    `Invalid ${what}`,
    parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
  );
}
