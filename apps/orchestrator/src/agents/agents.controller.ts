import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AgentHeartbeatReported,
  agentHeartbeatSchema,
  AgentView,
  ListAgentsRequest,
} from '@jarvis/contracts';
import { AgentRegistry } from './agent-registry.service';

@Controller()
export class AgentsController {
  private readonly logger = new Logger(AgentsController.name);

  constructor(private readonly registry: AgentRegistry) {}

  @EventPattern(AgentHeartbeatReported.subject)
  async heartbeat(@Payload() payload: unknown): Promise<void> {
    const parsed = agentHeartbeatSchema.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'Ignoring a heartbeat that is not valid');
      return;
    }
    await this.registry.heartbeat(parsed.data);
  }

  @MessagePattern(ListAgentsRequest.subject)
  list(): Promise<AgentView[]> {
    return this.registry.list();
  }
}
