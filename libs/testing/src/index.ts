export * from './app-process';
export * from './fake-ai-provider';
export * from './nats-server-process';
export * from './suite-processes';
export * from './test-database';
export * from './test-namespace';
