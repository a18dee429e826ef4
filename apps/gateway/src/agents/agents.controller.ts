import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ListAgentsRequest } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { API_PREFIX } from '../http/api-prefix';

@ApiTags('agents')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/agents`)
export class AgentsController {
  constructor(private readonly bus: MessageBus) {}

  @Get()
  @ApiOperation({
    summary: 'Registered agents: domain, instance, last heartbeat, tasks in flight, status',
  })
  async list() {
    return { success: true, data: await this.bus.request(ListAgentsRequest, {}) };
  }
}
