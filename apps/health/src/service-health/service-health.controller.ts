import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { HealthServicesQuery, type ServiceHealthView } from '@jarvis/contracts';
import { ServiceHealthService } from './service-health.service';

@Controller()
export class ServiceHealthController {
  constructor(private readonly serviceHealth: ServiceHealthService) {}

  @MessagePattern(HealthServicesQuery.subject)
  latest(): Promise<ServiceHealthView[]> {
    return this.serviceHealth.latest();
  }
}
