import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { systemClock } from '@jarvis/circuit-breaker';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { ServiceHealthController } from '../service-health/service-health.controller';
import { ServiceHealthService } from '../service-health/service-health.service';
import { HttpProbe } from '../targets/http-probe';
import { SuiteAppProbe } from '../targets/suite-app-probe';
import { HealthCheckScheduler } from './health-check.scheduler';
import {
  HEALTH_CHECK_CLOCK,
  HEALTH_CHECK_SETTINGS,
  healthCheckSettingsOf,
} from './health-check.settings';
import { HealthMetricEntity } from './health-metric.entity';
import { HealthMetricsRepository } from './health-metrics.repository';
import { TargetChecker } from './target-checker';

/** Periodic checks of every target through its breaker, stored and announced, and their latest state. */
@Module({
  imports: [TypeOrmModule.forFeature([HealthMetricEntity])],
  controllers: [ServiceHealthController],
  providers: [
    {
      provide: HEALTH_CHECK_SETTINGS,
      inject: [JARVIS_CONFIG],
      useFactory: (config: JarvisConfig) => healthCheckSettingsOf(config),
    },
    { provide: HEALTH_CHECK_CLOCK, useValue: systemClock },
    HttpProbe,
    SuiteAppProbe,
    TargetChecker,
    HealthMetricsRepository,
    HealthCheckScheduler,
    ServiceHealthService,
  ],
})
export class HealthChecksModule {}
