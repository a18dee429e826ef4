import { z } from 'zod';
import { APP_NAMES, BREAKER_NAME_PATTERN } from '@jarvis/contracts';

/** A target the health app checks over HTTP: a 2xx or 3xx answer at `url` means up. */
export interface HealthTargetSetting {
  /** Also the name of the target's circuit breaker. */
  name: string;
  url: string;
}

const SHAPE = 'must be a JSON list of {"name", "url"} objects with http(s) URLs';

/**
 * `HEALTH_TARGETS`, e.g. `[{"name":"music-backend","url":"http://backend:3001/health"}]`.
 * A rejected entry is named by its position, never by its URL, which may hold a password.
 */
export function healthTargetsVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): HealthTargetSetting[] => {
      if (raw === undefined || raw.trim() === '') return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${SHAPE} (it is not valid JSON)` });
        return z.NEVER;
      }
      const problem = problemWith(parsed);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${SHAPE} (${problem})` });
        return z.NEVER;
      }
      return (parsed as HealthTargetSetting[]).map(({ name, url }) => ({ name, url }));
    });
}

function problemWith(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'it is not a list';
  const seen = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const at = `entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return `${at} is not an object`;
    }
    const { name, url } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !BREAKER_NAME_PATTERN.test(name)) {
      return `${at}: name must be 1-100 letters, digits, ".", "_", ":" or "-"`;
    }
    if ((APP_NAMES as readonly string[]).includes(name)) {
      return `${at}: name ${name} is taken by one of the suite's own apps`;
    }
    if (seen.has(name)) return `${at}: name ${name} appears twice`;
    seen.add(name);
    if (typeof url !== 'string' || !isHttpUrl(url)) {
      return `${at}: url must be an http or https URL with a host`;
    }
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
