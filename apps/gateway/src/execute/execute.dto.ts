import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from '@jarvis/contracts';

export class ExecuteDto {
  @ApiProperty({ example: 'diagnostics' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `module ${IDENTIFIER_RULE}` })
  module: string;

  @ApiProperty({ example: 'ping' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER_PATTERN, { message: `action ${IDENTIFIER_RULE}` })
  action: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { ms: 10, impactScore: 0.8 },
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}
