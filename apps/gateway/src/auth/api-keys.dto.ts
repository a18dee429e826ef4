import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { type Role, ROLES } from './role';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ci-reader' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name must be letters, digits, ".", "_" or "-"' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class ApiKeyIdParams {
  @IsUUID()
  id: string;
}
