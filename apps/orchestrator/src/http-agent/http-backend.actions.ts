import { z } from 'zod';
import { ActionContext, ActionOutcome } from '@jarvis/agent-sdk';
import { CircuitBreakerManager } from '@jarvis/circuit-breaker';
import { ActionFailedError, ValidationError } from '@jarvis/contracts';
import { ActionHandler, ExecutableModule } from '../execution/executable-module';
import { parseParams } from '../execution/action-params';

export const HTTP_AGENT_NAME = 'http';
const BREAKER_NAME = 'http-agent';

const requestParamsSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  /** Under the backend's base URL; no scheme, host or `..`. */
  path: z
    .string()
    .max(2000)
    .regex(/^\/[^\s]*$/, 'must start with "/"')
    .refine((path) => !path.split(/[/?#]/).includes('..'), 'must not contain ".."')
    .optional(),
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export interface HttpBackendSettings {
  baseUrl: string;
  timeoutMs: number;
}

export interface BackendAnswer {
  status: number;
  body: unknown;
}

/**
 * `request`: calls the configured backend (a music-production service, say) with the
 * task's params; its answer is the result. A 4xx answer is the backend rejecting the
 * params (not retried); a 5xx, a timeout or no answer fail the attempt and count
 * against the backend's circuit breaker.
 */
export class HttpBackendActions implements ExecutableModule {
  readonly name = HTTP_AGENT_NAME;
  readonly actions: Readonly<Record<string, ActionHandler>> = {
    request: (params, context) => this.request(params, context),
  };

  constructor(
    private readonly settings: HttpBackendSettings,
    private readonly breakers: CircuitBreakerManager,
  ) {}

  private async request(rawParams: unknown, context?: ActionContext): Promise<ActionOutcome> {
    const params = parseParams(requestParamsSchema, rawParams, 'http request');
    const method = params.method ?? 'POST';
    const url = new URL(this.settings.baseUrl.replace(/\/+$/, '') + (params.path ?? '/'));
    for (const [key, value] of Object.entries(params.query ?? {})) {
      url.searchParams.set(key, String(value));
    }
    const hasBody = params.body !== undefined && method !== 'GET' && method !== 'DELETE';
    const breaker = this.breakers.getBreaker(BREAKER_NAME);
    const answer = await breaker.execute(async () => {
      const signals = [AbortSignal.timeout(this.settings.timeoutMs)];
      if (context) signals.push(context.signal);
      const response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...params.headers,
        },
        body: hasBody ? JSON.stringify(params.body) : undefined,
        signal: AbortSignal.any(signals),
      });
      const body = await bodyOf(response);
      if (response.status >= 500) {
        throw new ActionFailedError(`Backend answered ${response.status}`, {
          status: response.status,
          body,
        });
      }
      return { status: response.status, body } satisfies BackendAnswer;
    });
    if (answer.status >= 400) {
      throw new ValidationError(`Backend rejected the request with ${answer.status}`, {
        status: answer.status,
        body: answer.body,
      });
    }
    return { output: answer };
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
