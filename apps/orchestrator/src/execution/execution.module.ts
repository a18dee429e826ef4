import { Module } from '@nestjs/common';
import { AiActions } from '../ai/ai.actions';
import { AiModule } from '../ai/ai.module';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { DiagnosticsActions } from '../diagnostics/diagnostics.actions';
import { ExecutionRecordsModule } from '../execution-records/execution-records.module';
import { HTTP_AGENT, HttpAgentModule } from '../http-agent/http-agent.module';
import { SystemHealthActions } from '../system-health/system-health.actions';
import { SystemHealthModule } from '../system-health/system-health.module';
import { EXECUTABLE_MODULES, ExecutableModule } from './executable-module';
import { ExecutionController } from './execution.controller';
import { ExecutionService } from './execution.service';

@Module({
  imports: [
    DiagnosticsModule,
    ExecutionRecordsModule,
    AiModule,
    SystemHealthModule,
    HttpAgentModule,
  ],
  controllers: [ExecutionController],
  providers: [
    ExecutionService,
    {
      provide: EXECUTABLE_MODULES,
      inject: [DiagnosticsActions, AiActions, SystemHealthActions, HTTP_AGENT],
      // A module that is not configured (the http agent without a backend) is null: not offered.
      useFactory: (...modules: (ExecutableModule | null)[]) =>
        modules.filter((module): module is ExecutableModule => module !== null),
    },
  ],
  exports: [EXECUTABLE_MODULES],
})
export class ExecutionModule {}
