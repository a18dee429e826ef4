import { Module } from '@nestjs/common';
import { CircuitBreakerManager } from '@jarvis/circuit-breaker';
import { JARVIS_CONFIG, JarvisConfig } from '@jarvis/runtime';
import { ExecutableModule } from '../execution/executable-module';
import { HttpBackendActions } from './http-backend.actions';

/** The `http` agent, or null when no backend is configured (`HTTP_AGENT_BASE_URL`). */
export const HTTP_AGENT = Symbol('HTTP_AGENT');

@Module({
  providers: [
    {
      provide: HTTP_AGENT,
      inject: [JARVIS_CONFIG, CircuitBreakerManager],
      useFactory: (
        config: JarvisConfig,
        breakers: CircuitBreakerManager,
      ): ExecutableModule | null =>
        config.httpAgent.baseUrl
          ? new HttpBackendActions(
              { baseUrl: config.httpAgent.baseUrl, timeoutMs: config.httpAgent.timeoutMs },
              breakers,
            )
          : null,
    },
  ],
  exports: [HTTP_AGENT],
})
export class HttpAgentModule {}
