import { z } from 'zod';

/** Zod fields for environment variables, with messages a person can act on. */

export function integerVar(defaultValue: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return defaultValue;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });
}

export function portVar(defaultValue: number) {
  return integerVar(defaultValue, 1, 65535);
}

export function booleanVar(defaultValue: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return defaultValue;
      const normalized = raw.trim().toLowerCase();
      if (normalized === 'true' || normalized === '1') return true;
      if (normalized === 'false' || normalized === '0') return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });
}

/** A USD amount such as `10.00`, kept as a string so that money never passes through float. */
export function optionalMoneyVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      if (!/^\d{1,12}(\.\d{1,6})?$/.test(raw.trim())) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a non-negative USD amount such as 10.00',
        });
        return z.NEVER;
      }
      return raw.trim();
    });
}

export function enumVar<const T extends readonly [string, ...string[]]>(
  values: T,
  defaultValue: T[number],
) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined || raw.trim() === '') return defaultValue;
      const value = raw.trim();
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return value;
    });
}

/** A URL whose scheme is one of `schemes` and that names a host. */
export function urlVar(defaultValue: string, schemes: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? defaultValue : raw.trim();
      if (!isUrlWithHost(value, schemes)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a ${schemes.join(' or ')} URL with a host`,
        });
        return z.NEVER;
      }
      return value;
    });
}

/** One or more comma-separated server URLs, as NATS clients accept. */
export function serverListVar(defaultValue: string, schemes: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? defaultValue : raw.trim();
      const servers = value.split(',').map((server) => server.trim());
      if (!servers.every((server) => isUrlWithHost(server, schemes))) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one or more comma-separated ${schemes.join(' or ')} URLs with a host, such as nats://127.0.0.1:4222`,
        });
        return z.NEVER;
      }
      return servers;
    });
}

function isUrlWithHost(value: string, schemes: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An optional URL whose scheme is one of `schemes` and that names a host. */
export function optionalUrlVar(schemes: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = raw.trim();
      if (!isUrlWithHost(value, schemes)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a ${schemes.join(' or ')} URL with a host`,
        });
        return z.NEVER;
      }
      return value;
    });
}

/** An optional secret such as an API key: printable ASCII without spaces, never echoed. */
export function optionalSecretVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = raw.trim();
      if (!/^[\x21-\x7e]{1,1024}$/.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be 1 to 1024 printable ASCII characters without spaces',
        });
        return z.NEVER;
      }
      return value;
    });
}
