export * from './background-publisher';
export * from './batch-consumer';
export * from './jetstream.service';
export * from './pipelined-publisher';
export * from './stream-spec';
