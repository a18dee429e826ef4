import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { CircuitBreakerStatusController } from './circuit-breaker-status.controller';
import { createCircuitBreakerManager } from './circuit-breaker.factory';
import {
  CIRCUIT_BREAKER_SETTINGS,
  CircuitBreakerManager,
  CircuitBreakerManagerSettings,
} from './circuit-breaker.manager';

/**
 * An app's circuit breakers: the injectable {@link CircuitBreakerManager}, its metrics on
 * the app's registry, state shared with the app's other instances, and the answers to
 * the gateway's list and reset requests. Needs the runtime (data source, NATS, metrics).
 */
@Module({})
export class CircuitBreakerModule {
  static forApp(settings: CircuitBreakerManagerSettings): DynamicModule {
    return {
      module: CircuitBreakerModule,
      global: true,
      controllers: [CircuitBreakerStatusController],
      providers: [
        { provide: CIRCUIT_BREAKER_SETTINGS, useValue: settings },
        {
          provide: CircuitBreakerManager,
          inject: [DataSource, MessageBus, NatsConnectionHolder, SubjectNamer, MetricsService],
          useFactory: (
            dataSource: DataSource,
            bus: MessageBus,
            connection: NatsConnectionHolder,
            namer: SubjectNamer,
            metrics: MetricsService,
          ) =>
            createCircuitBreakerManager({
              ...settings,
              dataSource,
              bus,
              connection,
              namer,
              registry: metrics.registry,
            }),
        },
      ],
      exports: [CircuitBreakerManager],
    };
  }
}
