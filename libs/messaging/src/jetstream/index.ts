export * from './batch-consumer';
export * from './jetstream.service';
export * from './stream-spec';
