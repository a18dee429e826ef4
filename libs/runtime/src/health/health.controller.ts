import { Controller, Get } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck } from '@nestjs/terminus';
import { ReadinessQuery, ReadinessReport } from '@jarvis/contracts';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The app can serve: database and NATS answer (503 otherwise). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.readiness.check();
  }

  @MessagePattern(ReadinessQuery.subject)
  reportReadiness(): Promise<ReadinessReport> {
    return this.readiness.report();
  }
}
