import { AiAttemptOutcome, AiProviderId } from '@jarvis/contracts';

export type ProviderFailureKind = Exclude<AiAttemptOutcome, 'ok' | 'circuit_open'>;

/** A provider call that failed; `kind` says how, for fallbacks, breakers and the ledger. */
export abstract class AiProviderError extends Error {
  abstract readonly kind: ProviderFailureKind;

  constructor(
    readonly provider: AiProviderId,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = new.target.name;
  }

  /**
   * Whether the failure says something about the provider's health (and so counts for its
   * breaker). A request the provider rejected as malformed says nothing about it.
   */
  get countsAgainstProvider(): boolean {
    return this.kind !== 'bad_request';
  }
}

export class ProviderRateLimitError extends AiProviderError {
  readonly kind = 'rate_limited';
  constructor(
    provider: AiProviderId,
    message: string,
    status: number,
    /** From `retry-after-ms` or `retry-after`, when the provider sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(provider, message, status);
  }
}

export class ProviderAuthError extends AiProviderError {
  readonly kind = 'auth';
}

export class ProviderServerError extends AiProviderError {
  readonly kind = 'server';
}

export class ProviderTimeoutError extends AiProviderError {
  readonly kind = 'timeout';
}

export class ProviderUnreachableError extends AiProviderError {
  readonly kind = 'unreachable';
}

export class ProviderRequestError extends AiProviderError {
  readonly kind = 'bad_request';
}

export class ProviderResponseError extends AiProviderError {
  readonly kind = 'bad_response';
}
