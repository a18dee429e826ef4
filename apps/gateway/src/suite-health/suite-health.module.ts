import { Module } from '@nestjs/common';
import { SuiteHealthController } from './suite-health.controller';
import { SuiteHealthService } from './suite-health.service';

@Module({
  controllers: [SuiteHealthController],
  providers: [SuiteHealthService],
})
export class SuiteHealthModule {}
