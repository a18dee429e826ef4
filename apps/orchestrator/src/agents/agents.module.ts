import { Module } from '@nestjs/common';
import { AgentRegistry } from './agent-registry.service';
import { AgentStore } from './agent.store';
import { AgentsController } from './agents.controller';

/** The agent registry: heartbeats in, the list of agents out. */
@Module({
  controllers: [AgentsController],
  providers: [AgentStore, AgentRegistry],
  exports: [AgentRegistry],
})
export class AgentsModule {}
