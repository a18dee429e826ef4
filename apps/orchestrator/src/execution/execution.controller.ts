import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  executeCommandSchema,
  ExecuteRequest,
  ExecuteResult,
  ValidationError,
} from '@jarvis/contracts';
import { ExecutionService } from './execution.service';

@Controller()
export class ExecutionController {
  constructor(private readonly executions: ExecutionService) {}

  @MessagePattern(ExecuteRequest.subject)
  execute(@Payload() payload: unknown): Promise<ExecuteResult> {
    const parsed = executeCommandSchema.safeParse(payload);
    if (!parsed.success) {
      throw new ValidationError(
        'Invalid execute command',
        parsed.error.issues.map((issue) => ({
          field: issue.path.join('.'),
          reason: issue.message,
        })),
      );
    }
    return this.executions.execute(parsed.data);
  }
}
