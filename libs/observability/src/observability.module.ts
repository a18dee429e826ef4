import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { CorrelationContext, currentCorrelationId } from './correlation-context';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { buildLogDestination, buildLoggerOptions, LogSettings } from './logger-options';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RpcCorrelationInterceptor } from './rpc-correlation.interceptor';

/**
 * Correlation context, JSON logs and Prometheus metrics for one app.
 * The HTTP correlation middleware itself is mounted at bootstrap (`httpCorrelationMiddleware`).
 */
@Module({})
export class ObservabilityModule implements NestModule {
  static forApp(settings: LogSettings): DynamicModule {
    const metrics = new MetricsService();
    metrics.setServiceLabel(settings.service);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        ClsModule.forRoot({ global: true }),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              ...buildLoggerOptions(settings),
              // pino-http binds the request's correlation ID to its request logger.
              genReqId: () => currentCorrelationId() ?? '',
              customAttributeKeys: { reqId: 'correlationId' },
              quietReqLogger: true,
              serializers: {
                req: (req: { method: string; url: string }) => ({
                  method: req.method,
                  url: req.url,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              autoLogging: { ignore: (req) => req.url?.startsWith('/health/live') ?? false },
            },
            buildLogDestination(settings.file),
          ],
        }),
      ],
      controllers: [MetricsController],
      providers: [
        CorrelationContext,
        { provide: MetricsService, useValue: metrics },
        { provide: APP_INTERCEPTOR, useClass: RpcCorrelationInterceptor },
      ],
      exports: [CorrelationContext, MetricsService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
