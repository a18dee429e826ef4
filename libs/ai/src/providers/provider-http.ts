import { AiProviderId } from '@jarvis/contracts';
import {
  AiProviderError,
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
  ProviderUnreachableError,
} from './provider-errors';

const MAX_ERROR_LENGTH = 300;

export interface JsonPost {
  provider: AiProviderId;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  /** Removed from any error text, should a provider echo it. */
  secret?: string;
}

/**
 * POSTs JSON and returns the parsed answer; every failure becomes a typed
 * `AiProviderError`. The timeout bounds the whole exchange, body included.
 */
export async function postJson(post: JsonPost): Promise<unknown> {
  const signal = AbortSignal.timeout(post.timeoutMs);
  let text: string;
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...post.headers },
      body: JSON.stringify(post.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw transportFailure(post, error);
  }
  if (!response.ok) throw statusFailure(post, response, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderResponseError(post.provider, 'answer is not JSON', response.status);
  }
}

function transportFailure(post: JsonPost, error: unknown): AiProviderError {
  // Duck-typed: fetch's errors may come from another realm, where `instanceof Error` is false.
  const failure = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return new ProviderTimeoutError(post.provider, `no answer within ${post.timeoutMs} ms`);
  }
  const reason = failure.cause?.code ?? failure.message ?? String(error);
  return new ProviderUnreachableError(
    post.provider,
    `cannot reach ${hostOf(post.url)} (${reason})`,
  );
}

function statusFailure(post: JsonPost, response: Response, text: string): AiProviderError {
  const status = response.status;
  const message = `HTTP ${status}: ${scrub(errorMessageOf(text), post.secret)}`;
  if (status === 429) {
    return new ProviderRateLimitError(post.provider, message, status, retryAfterMs(response));
  }
  if (status === 401 || status === 403 || isInvalidKey(text)) {
    return new ProviderAuthError(post.provider, message, status);
  }
  if (status === 408) return new ProviderTimeoutError(post.provider, message, status);
  // 529 is Anthropic's "overloaded".
  if (status >= 500) return new ProviderServerError(post.provider, message, status);
  return new ProviderRequestError(post.provider, message, status);
}

/** OpenAI, Anthropic and Gemini all put a human message at `error.message`. */
function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: use the text itself.
  }
  return text.trim() || 'no error message';
}

/** Gemini answers a bad key with 400 and the reason `API_KEY_INVALID`. */
function isInvalidKey(text: string): boolean {
  return text.includes('API_KEY_INVALID');
}

function retryAfterMs(response: Response): number | undefined {
  const ms = Number(response.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function scrub(message: string, secret?: string): string {
  const clean = secret ? message.split(secret).join('[redacted]') : message;
  const oneLine = clean.replace(/\s+/g, ' ');
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH)}…` : oneLine;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

/** Joins a base URL that may or may not end with `/` and a path. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
