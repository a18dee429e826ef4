import { Module } from '@nestjs/common';
import { DiagnosticsActions } from './diagnostics.actions';
import { Sleeper } from './sleeper';

@Module({
  providers: [DiagnosticsActions, Sleeper],
  exports: [DiagnosticsActions],
})
export class DiagnosticsModule {}
