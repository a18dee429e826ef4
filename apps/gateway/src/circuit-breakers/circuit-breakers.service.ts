import { Injectable } from '@nestjs/common';
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
  constructor(private readonly bus: MessageBus) {}

  async list(): Promise<CircuitBreakerStatus[]> {
    const replies = await this.bus.gather(BreakersList, {}, APP_NAMES.length, GATHER_WAIT_MS);
    return replies.flatMap((reply) => reply.breakers).sort(byServiceThenName);
  }

  /** Resets the named breaker in every app that has one; each app resets it on all its instances. */
  async reset(name: string): Promise<CircuitBreakerStatus[]> {
    const replies = await this.bus.gather(
      BreakersReset,
      { name },
      APP_NAMES.length,
      GATHER_WAIT_MS,
    );
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
