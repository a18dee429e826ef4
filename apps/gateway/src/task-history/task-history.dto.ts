import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  DEFAULT_MIN_SUPPORT,
  DEFAULT_STATS_WINDOW_HOURS,
  DEFAULT_TIMELINE_WINDOW_HOURS,
  IDENTIFIER_PATTERN,
  IDENTIFIER_RULE,
  MAX_TIME_WINDOW_HOURS,
  TASK_FEEDBACK_VALUES,
  type TaskFeedbackValue,
} from '@jarvis/contracts';

export class TaskStatsQueryDto {
  @ApiPropertyOptional({ example: 'diagnostics' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `domain ${IDENTIFIER_RULE}` })
  domain?: string;

  @ApiPropertyOptional({ example: 'ping' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  action?: string;

  @ApiPropertyOptional({
    description: `Window in hours, 1..${MAX_TIME_WINDOW_HOURS}`,
    default: DEFAULT_STATS_WINDOW_HOURS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'timeWindow must be a whole number of hours' })
  @Min(1)
  @Max(MAX_TIME_WINDOW_HOURS)
  timeWindow?: number;

  @ApiPropertyOptional({
    description: 'Executions a parameter set needs before it can be the optimal one',
    default: DEFAULT_MIN_SUPPORT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minSupport?: number;
}

export class TaskTimelineQueryDto {
  @ApiPropertyOptional({ example: 'diagnostics' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `domain ${IDENTIFIER_RULE}` })
  domain?: string;

  @ApiPropertyOptional({
    description: `Window in hours, 1..${MAX_TIME_WINDOW_HOURS}`,
    default: DEFAULT_TIMELINE_WINDOW_HOURS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'timeWindow must be a whole number of hours' })
  @Min(1)
  @Max(MAX_TIME_WINDOW_HOURS)
  timeWindow?: number;

  @ApiPropertyOptional({ description: 'How many recent executions to list (1..200)', default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class TaskIdParams {
  @ApiProperty({ description: "An execution's task id, or its execution id when it had no task" })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, {
    message: 'taskId must be 1-128 letters, digits, ".", "_", ":" or "-"',
  })
  taskId: string;
}

export class TaskFeedbackDto {
  @ApiProperty({ enum: TASK_FEEDBACK_VALUES })
  @IsIn(TASK_FEEDBACK_VALUES, {
    message: `feedback must be one of ${TASK_FEEDBACK_VALUES.join(', ')}`,
  })
  feedback: TaskFeedbackValue;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  comment?: string;
}
