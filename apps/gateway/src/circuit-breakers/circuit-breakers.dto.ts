import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { BREAKER_NAME_PATTERN } from '@jarvis/contracts';

export class BreakerNameParams {
  /** The breaker's name (the seed called it the service). */
  @ApiProperty({ example: 'ai-dawg-backend', description: 'The name of the circuit breaker' })
  @Matches(BREAKER_NAME_PATTERN, {
    message: 'service must be 1-100 letters, digits, ".", "_", ":" or "-"',
  })
  service: string;
}
