import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppName } from '@jarvis/contracts';
import { AppSchemaSettings, DatabaseModule } from '@jarvis/database';
import { MessagingModule } from '@jarvis/messaging';
import { ObservabilityModule } from '@jarvis/observability';
import { JARVIS_CONFIG, JarvisConfig } from './config/jarvis-config';
import { JarvisExceptionFilter } from './errors/jarvis-exception.filter';
import { HealthModule } from './health/health.module';

export interface RuntimeSettings {
  app: AppName;
  config: JarvisConfig;
  database: AppSchemaSettings;
}

/**
 * What every app process has: validated config, correlation and logs, NATS,
 * its own migrated schema, health routes and one error shape.
 */
@Module({})
export class RuntimeModule {
  static forApp({ app, config, database }: RuntimeSettings): DynamicModule {
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        ObservabilityModule.forApp({
          service: app,
          level: config.log.level,
          file: config.log.file,
        }),
        MessagingModule.forApp({
          servers: config.nats.servers,
          subjectPrefix: config.nats.subjectPrefix,
          requestTimeoutMs: config.nats.requestTimeoutMs,
          name: app,
        }),
        DatabaseModule.forApp({
          ...database,
          url: config.databaseUrl,
          applicationName: `jarvis-${app}`,
        }),
        HealthModule.forApp(app),
      ],
      providers: [
        { provide: JARVIS_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: JarvisExceptionFilter },
      ],
      exports: [JARVIS_CONFIG, HealthModule],
    };
  }
}
