export * from './apps';
export * from './correlation';
export * from './error-codes';
export * from './execute';
export * from './jarvis-error';
export * from './readiness';
export * from './request-contract';
