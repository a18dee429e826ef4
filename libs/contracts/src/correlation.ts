/** Header that carries the correlation ID over HTTP, NATS and JetStream. */
export const CORRELATION_HEADER = 'x-correlation-id';

const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's correlation ID is kept only if it is 1–128 chars of `A-Za-z0-9._:-`. */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}
