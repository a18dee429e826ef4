export * from './jarvis-nats.server';
export * from './jetstream';
export * from './message-bus';
export * from './messaging.module';
export * from './nats-connection';
export * from './nest-packet';
export * from './subject-namer';
