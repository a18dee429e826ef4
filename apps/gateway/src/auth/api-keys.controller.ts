import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../http/api-prefix';
import { ApiKeyIdParams, CreateApiKeyDto } from './api-keys.dto';
import { ApiKeyService } from './api-key.service';
import { RequiresRole } from './requires-role.decorator';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiSecurity('api-key')
@RequiresRole('admin')
@Controller(`${API_PREFIX}/api-keys`)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the key is shown only in this answer' })
  async create(@Body() body: CreateApiKeyDto) {
    return { success: true, data: await this.keys.create(body.name, body.role) };
  }

  @Get()
  async list() {
    return { success: true, data: await this.keys.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  async revoke(@Param() params: ApiKeyIdParams) {
    return { success: true, data: await this.keys.revoke(params.id) };
  }
}
