import { Injectable } from '@nestjs/common';
import { DEGRADED_LATENCY_MS, ProbeAnswer, TargetDownError } from './health-target';

/**
 * Checks an HTTP target with one GET. 2xx and 3xx are up (degraded when slow); 4xx is
 * degraded (it answers, but not as a health URL should); 5xx, a refused connection or
 * a timeout is down.
 */
@Injectable()
export class HttpProbe {
  async check(url: string, signal?: AbortSignal): Promise<ProbeAnswer> {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'GET',
        redirect: 'manual',
        headers: { accept: 'application/json, text/plain, */*' },
        signal,
      });
    } catch (error) {
      throw new TargetDownError(reasonOf(error));
    }
    const latencyMs = Math.round(performance.now() - started);
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 500) throw new TargetDownError(`HTTP ${response.status}`);
    if (response.status >= 400) {
      return { status: 'degraded', latencyMs, message: `HTTP ${response.status}` };
    }
    if (latencyMs > DEGRADED_LATENCY_MS) {
      return { status: 'degraded', latencyMs, message: `Slow answer (${latencyMs} ms)` };
    }
    return { status: 'up', latencyMs, message: null };
  }
}

/** fetch says only "fetch failed"; the cause says what happened (`connect ECONNREFUSED …`). */
function reasonOf(error: unknown): string {
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  return cause ?? messageOf(error) ?? String(error);
}

/** Duck-typed: fetch's errors may come from another realm, where `instanceof Error` fails. */
function messageOf(value: unknown): string | undefined {
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.length > 0 ? message : undefined;
}
