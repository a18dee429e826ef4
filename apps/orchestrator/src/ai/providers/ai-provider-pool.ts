import { AiProviderId } from '@jarvis/contracts';
import { AiProvider, AiProviderError, CompletionRequest, CompletionResult } from '@jarvis/ai';
import { CircuitBreaker, CircuitBreakerManager } from '@jarvis/circuit-breaker';

/** The breaker of provider `id`; also how it shows in `GET /api/v1/circuit-breakers`. */
export function providerBreakerName(id: AiProviderId): string {
  return `ai-provider:${id}`;
}

/**
 * A malformed request is the caller's fault, not the provider's: it does not count
 * against the provider's breaker. Everything else (rate limits, auth, 5xx, timeouts,
 * unreachable, nonsense answers) does.
 */
export function countsAgainstProvider(error: unknown): boolean {
  return error instanceof AiProviderError ? error.countsAgainstProvider : true;
}

/** The offered providers, each behind its own circuit breaker. */
export class AiProviderPool {
  private readonly providers: ReadonlyMap<AiProviderId, AiProvider>;
  private readonly breakers: ReadonlyMap<AiProviderId, CircuitBreaker>;

  constructor(providers: AiProvider[], breakers: CircuitBreakerManager) {
    this.providers = new Map(providers.map((provider) => [provider.id, provider]));
    this.breakers = new Map(
      providers.map((provider) => [
        provider.id,
        breakers.getBreaker(providerBreakerName(provider.id), {
          isFailure: countsAgainstProvider,
        }),
      ]),
    );
  }

  offered(): ReadonlySet<AiProviderId> {
    return new Set(this.providers.keys());
  }

  /** Calls the provider through its breaker: a `CircuitOpenError` at once while it is OPEN. */
  complete(id: AiProviderId, request: CompletionRequest): Promise<CompletionResult> {
    const provider = this.providers.get(id);
    const breaker = this.breakers.get(id);
    if (!provider || !breaker) throw new RangeError(`AI provider ${id} is not offered`);
    return breaker.execute(() => provider.complete(request));
  }
}
