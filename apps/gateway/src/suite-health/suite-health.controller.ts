import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SuiteHealthService } from './suite-health.service';

@ApiTags('health')
@Controller('health')
export class SuiteHealthController {
  constructor(private readonly suiteHealth: SuiteHealthService) {}

  @Get()
  @ApiOperation({ summary: 'Readiness of every app: 200 when all are up, 503 otherwise' })
  async check(@Res({ passthrough: true }) response: Response) {
    const health = await this.suiteHealth.check();
    response.status(health.status === 'up' ? 200 : 503);
    return { success: health.status === 'up', data: health };
  }
}
