export * from './bootstrap';
export * from './config/jarvis-config';
export * from './errors/http-status';
export * from './errors/jarvis-exception.filter';
export * from './health/health.module';
export * from './health/readiness.service';
export * from './runtime.module';
