import { Module } from '@nestjs/common';
import { ExecutionIngestConsumer } from './execution-ingest.consumer';
import { ExecutionRecordStore } from './execution-record.store';

/** Stores the execution records published on the EXECUTIONS stream. */
@Module({ providers: [ExecutionRecordStore, ExecutionIngestConsumer] })
export class ExecutionIngestModule {}
