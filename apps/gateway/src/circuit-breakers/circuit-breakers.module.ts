import { Module } from '@nestjs/common';
import { CircuitBreakersController } from './circuit-breakers.controller';
import { CircuitBreakersService } from './circuit-breakers.service';

@Module({
  controllers: [CircuitBreakersController],
  providers: [CircuitBreakersService],
})
export class CircuitBreakersModule {}
