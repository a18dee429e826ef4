import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { AI_USAGE_GROUPINGS, type AiUsageGrouping } from '@jarvis/contracts';

export class AiUsageQueryDto {
  @ApiPropertyOptional({
    description: 'Start (inclusive), ISO 8601; default 30 days before `to`',
    example: '2025-06-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({
    description: 'End (exclusive), ISO 8601; default now',
    example: '2025-07-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: AI_USAGE_GROUPINGS, description: 'Also answer totals per group' })
  @IsOptional()
  @IsIn(AI_USAGE_GROUPINGS, { message: `groupBy must be one of ${AI_USAGE_GROUPINGS.join(', ')}` })
  groupBy?: AiUsageGrouping;
}
