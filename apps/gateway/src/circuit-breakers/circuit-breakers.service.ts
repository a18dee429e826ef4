import { Injectable, Logger } from '@nestjs/common';
import {
  APP_NAMES,
  BreakersList,
  BreakersReset,
  CircuitBreakerStatus,
  NotFoundError,
} from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';

/** How long to wait for every app to answer; an app that is down is left out. */
const GATHER_WAIT_MS = 1_500;

/** The breakers of every app, asked of each app over NATS (one instance per app answers). */
@Injectable()
export class CircuitBreakersService {
  private readonly logger = new Logger(CircuitBreakersService.name);

  constructor(private readonly bus: MessageBus) {}

  async list(): Promise<CircuitBreakerStatus[]> {
    const { replies, failures } = await this.bus.gather(
      BreakersList,
      {},
      APP_NAMES.length,
      GATHER_WAIT_MS,
    );
    for (const failure of failures)
      this.logger.warn({ err: failure }, 'An app could not list its breakers');
    return replies.flatMap((reply) => reply.breakers).sort(byServiceThenName);
  }

  /**
   * Resets the named breaker in every app that has one; each app resets it on all its
   * instances. An app that failed to reset it fails the request: the operator must know.
   */
  async reset(name: string): Promise<CircuitBreakerStatus[]> {
    const { replies, failures } = await this.bus.gather(
      BreakersReset,
      { name },
      APP_NAMES.length,
      GATHER_WAIT_MS,
    );
    if (failures.length > 0) throw failures[0];
    const reset = replies
      .map((reply) => reply.status)
      .filter((status): status is CircuitBreakerStatus => status !== null)
      .sort(byServiceThenName);
    if (reset.length === 0) throw new NotFoundError(`No circuit breaker named ${name}`);
    return reset;
  }
}

function byServiceThenName(a: CircuitBreakerStatus, b: CircuitBreakerStatus): number {
  return a.service.localeCompare(b.service) || a.name.localeCompare(b.name);
}
