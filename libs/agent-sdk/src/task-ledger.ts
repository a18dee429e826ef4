import {
  ClaimTasksCommand,
  ClaimTasksReply,
  ClaimTasksRequest,
  ReportTasksCommand,
  ReportTasksReply,
  ReportTasksRequest,
  TaskProgressEvent,
  TaskProgressReported,
} from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';

/**
 * Where an agent records what happens to its tasks: the orchestrator, over NATS for a
 * separate worker process, or directly for the orchestrator's built-in agents.
 */
export interface TaskLedger {
  claim(command: ClaimTasksCommand): Promise<ClaimTasksReply>;
  report(command: ReportTasksCommand): Promise<ReportTasksReply>;
  /** Fire and forget. */
  progress(event: TaskProgressEvent): void;
}

/** The orchestrator's ledger reached over NATS request/reply. */
export class NatsTaskLedger implements TaskLedger {
  constructor(
    private readonly bus: MessageBus,
    private readonly timeoutMs: number,
  ) {}

  claim(command: ClaimTasksCommand): Promise<ClaimTasksReply> {
    return this.bus.request(ClaimTasksRequest, command, { timeoutMs: this.timeoutMs });
  }

  report(command: ReportTasksCommand): Promise<ReportTasksReply> {
    return this.bus.request(ReportTasksRequest, command, { timeoutMs: this.timeoutMs });
  }

  progress(event: TaskProgressEvent): void {
    this.bus.emit(TaskProgressReported, event);
  }
}
