import { Injectable } from '@nestjs/common';

export interface ProbeResult {
  httpStatus: number;
  /** Until the response headers arrived. */
  latencyMs: number;
}

/** One HTTP GET against a URL, behind a class so tests need no server. */
@Injectable()
export class UrlProbe {
  async probe(url: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    const started = performance.now();
    const abort = signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, { method: 'GET', signal: abort, redirect: 'follow' });
    const latencyMs = Math.round(performance.now() - started);
    await response.body?.cancel();
    return { httpStatus: response.status, latencyMs };
  }
}
