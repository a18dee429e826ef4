import { z } from 'zod';
import { defineEvent, defineRequest } from './request-contract';
import { taskActionSchema, taskDomainSchema } from './tasks';

export const agentHeartbeatSchema = z.object({
  domain: taskDomainSchema,
  /** Unique per running worker, e.g. `host:pid`. */
  instance: z.string().min(1).max(200),
  actions: z.array(taskActionSchema).max(500),
  concurrency: z.number().int().min(1),
  tasksInFlight: z.number().int().min(0),
  startedAt: z.iso.datetime({ offset: true }),
  /** `stopping` is the last heartbeat of a worker that shuts down. */
  state: z.enum(['running', 'stopping']),
});
export type AgentHeartbeat = z.infer<typeof agentHeartbeatSchema>;

/** Every agent worker sends this periodically; the first one registers it. */
export const AgentHeartbeatReported = defineEvent<AgentHeartbeat>(
  'orchestrator.agents.heartbeat.v1',
);

export type AgentStatus = 'online' | 'offline' | 'stopped';

export interface AgentView {
  domain: string;
  instance: string;
  actions: string[];
  concurrency: number;
  tasksInFlight: number;
  /** `offline` when no heartbeat came for three intervals. */
  status: AgentStatus;
  startedAt: string;
  lastHeartbeatAt: string;
}

export const ListAgentsRequest = defineRequest<Record<string, never>, AgentView[]>(
  'orchestrator.agents.list.v1',
);
