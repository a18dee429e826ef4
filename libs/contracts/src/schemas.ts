import { z } from 'zod';

/** A name that is also a NATS subject token (a domain, an action, a module). */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_-]*$/;
export const IDENTIFIER_RULE =
  'must be lower-case letters, digits, "_" or "-", starting with a letter';

export const identifierSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(IDENTIFIER_PATTERN, IDENTIFIER_RULE);

/** A JSON object: parameters, outputs, resources used. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());
