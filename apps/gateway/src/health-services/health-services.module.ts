import { Module } from '@nestjs/common';
import { HealthServicesController } from './health-services.controller';

@Module({ controllers: [HealthServicesController] })
export class HealthServicesModule {}
