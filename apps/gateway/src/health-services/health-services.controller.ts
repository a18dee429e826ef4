import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { HealthServicesQuery } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { API_PREFIX } from '../http/api-prefix';

@ApiTags('health')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/health/services`)
export class HealthServicesController {
  constructor(private readonly bus: MessageBus) {}

  @Get()
  @ApiOperation({
    summary:
      'The latest check of every watched target: up, degraded, down (or unknown before its first check)',
  })
  async list() {
    return { success: true, data: await this.bus.request(HealthServicesQuery, {}) };
  }
}
