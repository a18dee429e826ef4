import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BreakersList,
  BreakersReset,
  breakersResetSchema,
  ValidationError,
  type BreakersListReply,
  type BreakersResetReply,
} from '@jarvis/contracts';
import {
  CIRCUIT_BREAKER_SETTINGS,
  CircuitBreakerManager,
  type CircuitBreakerManagerSettings,
} from './circuit-breaker.manager';

/** Answers the gateway for this app (in its queue group): its breakers, and resets. */
@Controller()
export class CircuitBreakerStatusController {
  constructor(
    private readonly manager: CircuitBreakerManager,
    @Inject(CIRCUIT_BREAKER_SETTINGS) private readonly settings: CircuitBreakerManagerSettings,
  ) {}

  @MessagePattern(BreakersList.subject)
  list(): BreakersListReply {
    return { app: this.settings.app, breakers: this.manager.getAllStatuses() };
  }

  @MessagePattern(BreakersReset.subject)
  async reset(@Payload() payload: unknown): Promise<BreakersResetReply> {
    const parsed = breakersResetSchema.safeParse(payload);
    if (!parsed.success) {
      throw new ValidationError(
        'Invalid circuit breaker reset',
        parsed.error.issues.map((issue) => ({
          field: issue.path.join('.'),
          reason: issue.message,
        })),
      );
    }
    return { app: this.settings.app, status: await this.manager.reset(parsed.data.name) };
  }
}
