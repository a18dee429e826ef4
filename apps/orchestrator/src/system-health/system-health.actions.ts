import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ActionContext, ActionOutcome } from '@jarvis/agent-sdk';
import { ActionHandler, ExecutableModule } from '../execution/executable-module';
import { parseParams } from '../execution/action-params';
import { UrlProbe } from './url-probe';

const checkParamsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** The status that means up; by default any status below 400. */
  expectStatus: z.number().int().min(100).max(599).optional(),
});

const DEFAULT_TIMEOUT_MS = 5000;

export interface UrlCheck {
  url: string;
  status: 'up' | 'down';
  httpStatus: number | null;
  latencyMs: number;
  error?: string;
}

/** `check`: is a URL up, and how fast does it answer. A target that is down is a finding, not a failure. */
@Injectable()
export class SystemHealthActions implements ExecutableModule {
  readonly name = 'system-health';
  readonly actions: Readonly<Record<string, ActionHandler>> = {
    check: (params, context) => this.check(params, context),
  };

  constructor(private readonly probe: UrlProbe) {}

  private async check(rawParams: unknown, context?: ActionContext): Promise<ActionOutcome> {
    const params = parseParams(checkParamsSchema, rawParams, 'system-health check');
    const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    let check: UrlCheck;
    try {
      const { httpStatus, latencyMs } = await this.probe.probe(
        params.url,
        timeoutMs,
        context?.signal,
      );
      const up =
        params.expectStatus === undefined ? httpStatus < 400 : httpStatus === params.expectStatus;
      check = { url: params.url, status: up ? 'up' : 'down', httpStatus, latencyMs };
    } catch (error) {
      if (context?.signal.aborted) throw error;
      check = {
        url: params.url,
        status: 'down',
        httpStatus: null,
        latencyMs: Math.round(performance.now() - started),
        error:
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : String(error),
      };
    }
    return { output: check, impactScore: check.status === 'up' ? 1 : 0 };
  }
}
