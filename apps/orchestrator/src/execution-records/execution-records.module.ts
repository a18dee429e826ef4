import { Module } from '@nestjs/common';
import { ExecutionRecordPublisher } from './execution-record.publisher';

/** Publishes a record of every execution for history to store. */
@Module({
  providers: [ExecutionRecordPublisher],
  exports: [ExecutionRecordPublisher],
})
export class ExecutionRecordsModule {}
