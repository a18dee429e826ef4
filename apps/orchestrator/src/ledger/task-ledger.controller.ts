import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClaimTasksReply,
  ClaimTasksRequest,
  claimTasksSchema,
  ReportTasksReply,
  ReportTasksRequest,
  reportTasksSchema,
  TaskProgressReported,
  taskProgressSchema,
  ValidationError,
} from '@jarvis/contracts';
import { TaskLedgerService } from './task-ledger.service';

/** The ledger as agents in other processes reach it. */
@Controller()
export class TaskLedgerController {
  constructor(private readonly ledger: TaskLedgerService) {}

  @MessagePattern(ClaimTasksRequest.subject)
  claim(@Payload() payload: unknown): Promise<ClaimTasksReply> {
    const parsed = claimTasksSchema.safeParse(payload);
    if (!parsed.success) throw invalid('claim', parsed.error.issues);
    return this.ledger.claim(parsed.data);
  }

  @MessagePattern(ReportTasksRequest.subject)
  report(@Payload() payload: unknown): Promise<ReportTasksReply> {
    const parsed = reportTasksSchema.safeParse(payload);
    if (!parsed.success) throw invalid('report', parsed.error.issues);
    return this.ledger.report(parsed.data);
  }

  @EventPattern(TaskProgressReported.subject)
  progress(@Payload() payload: unknown): void {
    const parsed = taskProgressSchema.safeParse(payload);
    if (parsed.success) this.ledger.progress(parsed.data);
  }
}

function invalid(
  what: string,
  issues: { path: PropertyKey[]; message: string }[],
): ValidationError {
  return new ValidationError(
    `Invalid ${what}`,
    issues.map((issue) => ({ field: issue.path.map(String).join('.'), reason: issue.message })),
  );
}
