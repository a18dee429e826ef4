import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import {
  DEFAULT_TASK_ATTEMPTS,
  DEFAULT_TASK_PAGE_SIZE,
  IDENTIFIER_PATTERN,
  IDENTIFIER_RULE,
  MAX_TASK_ATTEMPTS,
  MAX_TASK_PAGE_SIZE,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskPriority,
  type TaskStatus,
} from '@jarvis/contracts';

export class SubmitTaskDto {
  @ApiProperty({ example: 'diagnostics', description: 'The agent domain that runs it' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `domain ${IDENTIFIER_RULE}` })
  domain: string;

  @ApiProperty({ example: 'sleep' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `action ${IDENTIFIER_RULE}` })
  action: string;

  @ApiPropertyOptional({ example: 'Nightly smoke test' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { ms: 200 } })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(TASK_PRIORITIES, { message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TASK_ATTEMPTS, default: DEFAULT_TASK_ATTEMPTS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TASK_ATTEMPTS)
  maxAttempts?: number;
}

export class TaskIdParams {
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id: string;
}

export class ListTasksQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES, { message: `status must be one of ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional({ example: 'diagnostics' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `domain ${IDENTIFIER_RULE}` })
  domain?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TASK_PAGE_SIZE, default: DEFAULT_TASK_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TASK_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
