import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../auth/requires-role.decorator';
import { API_PREFIX } from '../http/api-prefix';
import { BreakerNameParams } from './circuit-breakers.dto';
import { CircuitBreakersService } from './circuit-breakers.service';

@ApiTags('circuit-breakers')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/circuit-breakers`)
export class CircuitBreakersController {
  constructor(private readonly breakers: CircuitBreakersService) {}

  @Get()
  @ApiOperation({ summary: 'The circuit breakers of every app, with their state' })
  async list() {
    return { success: true, data: await this.breakers.list() };
  }

  @Post(':service/reset')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Close a circuit breaker on every instance of the app that owns it (404 if none)',
  })
  async reset(@Param() params: BreakerNameParams) {
    return { success: true, data: await this.breakers.reset(params.service) };
  }
}
