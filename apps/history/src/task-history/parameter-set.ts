import { createHash } from 'node:crypto';

/**
 * A parameter set in canonical form: object keys sorted at every depth, arrays kept
 * in order, values as JSON has them. Two executions ran "the same parameters" exactly
 * when their canonical forms are equal.
 */
export function canonicalParameters<T>(value: T): T {
  return canonicalize(JSON.parse(JSON.stringify(value ?? null))) as T;
}

/** The canonical JSON text of a parameter set (see {@link canonicalParameters}). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalParameters(value));
}

/**
 * 64-bit fingerprint of a parameter set: the first eight bytes of the SHA-256 of its
 * canonical JSON, as a signed decimal (a PostgreSQL bigint). It is stored beside each
 * execution so the learning query groups sets on a narrow indexed column.
 */
export function parameterSetHash(parameters: Record<string, unknown>): string {
  const digest = createHash('sha256').update(canonicalJson(parameters)).digest();
  return digest.readBigInt64BE(0).toString();
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) sorted[key] = canonicalize(source[key]);
    return sorted;
  }
  return value;
}
