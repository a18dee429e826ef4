export * from './fake-ai-provider';
export * from './suite-processes';
export * from './test-database';
export * from './test-namespace';
