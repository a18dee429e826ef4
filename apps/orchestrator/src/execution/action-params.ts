import { z } from 'zod';
import { ValidationError } from '@jarvis/contracts';

/** Validates an action's params; a failure names each field as `params.<field>`. */
export function parseParams<T>(schema: z.ZodType<T>, params: unknown, what: string): T {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw new ValidationError(
      `Invalid ${what} params`,
      parsed.error.issues.map((issue) => ({
        field: `params.${issue.path.map(String).join('.')}`,
        reason: issue.message,
      })),
    );
  }
  return parsed.data;
}
