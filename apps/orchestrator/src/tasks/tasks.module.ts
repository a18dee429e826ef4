import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { TaskDecider } from '../decisions/task-decider.service';
import { ExecutionModule } from '../execution/execution.module';
import { TaskQueueModule } from '../queue/task-queue.module';
import { TaskCatalog } from './task-catalog';
import { TaskCommandsService } from './task-commands.service';
import { TaskSubmissionService } from './task-submission.service';
import { TasksController } from './tasks.controller';

/** The task lifecycle: submit with a decision, read, cancel, retry. */
@Module({
  imports: [TaskQueueModule, AgentsModule, ExecutionModule],
  controllers: [TasksController],
  providers: [TaskCatalog, TaskDecider, TaskSubmissionService, TaskCommandsService],
})
export class TasksModule {}
