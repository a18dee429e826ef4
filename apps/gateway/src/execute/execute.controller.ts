import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ExecuteRequest } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings';
import { API_PREFIX } from '../http/api-prefix';
import { ExecuteDto } from './execute.dto';

@ApiTags('execute')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/execute`)
export class ExecuteController {
  constructor(
    private readonly bus: MessageBus,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a module action synchronously (422 when it fails, 404 when unknown)',
  })
  async execute(@Body() body: ExecuteDto) {
    const data = await this.bus.request(
      ExecuteRequest,
      { module: body.module, action: body.action, params: body.params },
      { timeoutMs: this.settings.executeTimeoutMs },
    );
    return { success: true, data };
  }
}
