import { Module } from '@nestjs/common';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { DiagnosticsActions } from '../diagnostics/diagnostics.actions';
import { EXECUTABLE_MODULES, ExecutableModule } from './executable-module';
import { ExecutionController } from './execution.controller';
import { ExecutionService } from './execution.service';

@Module({
  imports: [DiagnosticsModule],
  controllers: [ExecutionController],
  providers: [
    ExecutionService,
    {
      provide: EXECUTABLE_MODULES,
      inject: [DiagnosticsActions],
      useFactory: (...modules: ExecutableModule[]) => modules,
    },
  ],
})
export class ExecutionModule {}
