import { Module } from '@nestjs/common';
import { SystemHealthActions } from './system-health.actions';
import { UrlProbe } from './url-probe';

@Module({
  providers: [SystemHealthActions, UrlProbe],
  exports: [SystemHealthActions],
})
export class SystemHealthModule {}
