import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  JetStreamService,
  NatsConnectionHolder,
  PipelinedPublisher,
  SubjectNamer,
} from '@jarvis/messaging';
import { JARVIS_CONFIG, JarvisConfig } from '@jarvis/runtime';
import { ExecutionRecordPublisher } from '../execution-records/execution-record.publisher';
import { ExecutionRecordsModule } from '../execution-records/execution-records.module';
import { LedgerStore } from '../ledger/ledger.store';
import { TaskLedgerController } from '../ledger/task-ledger.controller';
import { TaskLedgerService } from '../ledger/task-ledger.service';
import { TaskEnqueuer } from '../tasks/task-enqueuer';
import { TaskStore } from '../tasks/task.store';
import { DeadLetterAdvisories } from './dead-letter-advisories';
import { OutboxRelay } from './outbox-relay';
import { QueueReconciler } from './queue-reconciler';
import { TaskQueueLifecycle } from './task-queue.lifecycle';

/** Task state in PostgreSQL, the outbox to JetStream, and the ledger agents report to. */
@Module({
  imports: [ExecutionRecordsModule],
  controllers: [TaskLedgerController],
  providers: [
    TaskStore,
    LedgerStore,
    {
      provide: OutboxRelay,
      inject: [getDataSourceToken(), NatsConnectionHolder, SubjectNamer],
      useFactory: (dataSource: DataSource, connection: NatsConnectionHolder, namer: SubjectNamer) =>
        new OutboxRelay(dataSource, new PipelinedPublisher(connection, namer)),
    },
    {
      provide: TaskLedgerService,
      inject: [LedgerStore, TaskStore, OutboxRelay, ExecutionRecordPublisher, JARVIS_CONFIG],
      useFactory: (
        ledger: LedgerStore,
        tasks: TaskStore,
        relay: OutboxRelay,
        records: ExecutionRecordPublisher,
        config: JarvisConfig,
      ) =>
        new TaskLedgerService(ledger, tasks, relay, records, {
          retryDelayMs: config.tasks.retryDelayMs,
        }),
    },
    {
      provide: TaskEnqueuer,
      inject: [TaskStore, OutboxRelay],
      useFactory: (store: TaskStore, relay: OutboxRelay) => new TaskEnqueuer(store, relay),
    },
    {
      provide: QueueReconciler,
      inject: [LedgerStore, TaskLedgerService, JetStreamService, JARVIS_CONFIG],
      useFactory: (
        store: LedgerStore,
        ledger: TaskLedgerService,
        jetStream: JetStreamService,
        config: JarvisConfig,
      ) =>
        new QueueReconciler(store, ledger, jetStream, {
          intervalMs: config.tasks.reconcileIntervalMs,
          staleAfterMs: Math.max(2 * config.tasks.ackWaitMs, 2000),
        }),
    },
    {
      provide: DeadLetterAdvisories,
      inject: [JetStreamService, TaskLedgerService],
      useFactory: (jetStream: JetStreamService, ledger: TaskLedgerService) =>
        new DeadLetterAdvisories(jetStream, ledger),
    },
    TaskQueueLifecycle,
  ],
  exports: [TaskStore, TaskLedgerService, TaskEnqueuer, OutboxRelay],
})
export class TaskQueueModule {}
