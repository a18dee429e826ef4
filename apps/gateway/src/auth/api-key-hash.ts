import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are long random secrets, so one SHA-256 is enough to store them
 * safely and lets a key be found by its hash in one indexed lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `jv_${randomBytes(24).toString('base64url')}`;
}
