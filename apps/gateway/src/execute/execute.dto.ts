import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';

const IDENTIFIER = /^[a-z][a-z0-9_-]*$/;
const IDENTIFIER_MESSAGE = 'must be lower-case letters, digits, "_" or "-", starting with a letter';

export class ExecuteDto {
  @ApiProperty({ example: 'diagnostics' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER, { message: `module ${IDENTIFIER_MESSAGE}` })
  module: string;

  @ApiProperty({ example: 'ping' })
  @IsString()
  @Length(1, 64)
  @Matches(IDENTIFIER, { message: `action ${IDENTIFIER_MESSAGE}` })
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
