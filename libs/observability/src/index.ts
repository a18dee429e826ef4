export * from './correlation-context';
export * from './http-correlation.middleware';
export * from './logger-options';
export * from './metrics.service';
export * from './observability.module';
export * from './rpc-correlation.interceptor';
