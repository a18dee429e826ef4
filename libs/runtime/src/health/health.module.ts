import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppName } from '@jarvis/contracts';
import { HealthController } from './health.controller';
import { NatsHealthIndicator } from './nats.health';
import { APP_NAME, ReadinessService } from './readiness.service';

/** `/health/live`, `/health/ready` and the app's readiness answer over NATS. */
@Module({})
export class HealthModule {
  static forApp(app: AppName): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: APP_NAME, useValue: app }, NatsHealthIndicator, ReadinessService],
      exports: [ReadinessService],
    };
  }
}
