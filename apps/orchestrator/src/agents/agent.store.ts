import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgentHeartbeat } from '@jarvis/contracts';

export interface AgentRow {
  domain: string;
  instance: string;
  actions: string[];
  concurrency: number;
  tasks_in_flight: number;
  state: AgentHeartbeat['state'];
  started_at: Date;
  last_heartbeat_at: Date;
}

/** The agent registry: one row per worker instance, kept by its heartbeats. */
@Injectable()
export class AgentStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async saveHeartbeat(heartbeat: AgentHeartbeat): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "orchestrator"."agents" (domain, instance, actions, concurrency, tasks_in_flight,
         state, started_at, last_heartbeat_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (domain, instance) DO UPDATE SET actions = EXCLUDED.actions,
         concurrency = EXCLUDED.concurrency, tasks_in_flight = EXCLUDED.tasks_in_flight,
         state = EXCLUDED.state, started_at = EXCLUDED.started_at, last_heartbeat_at = now()`,
      [
        heartbeat.domain,
        heartbeat.instance,
        JSON.stringify(heartbeat.actions),
        heartbeat.concurrency,
        heartbeat.tasksInFlight,
        heartbeat.state,
        heartbeat.startedAt,
      ],
    );
  }

  async list(): Promise<AgentRow[]> {
    return this.dataSource.query(
      `SELECT domain, instance, actions, concurrency, tasks_in_flight, state, started_at, last_heartbeat_at
       FROM "orchestrator"."agents" ORDER BY domain, instance`,
    );
  }

  /** Forgets workers silent for longer than `olderThanMs`. */
  async prune(olderThanMs: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "orchestrator"."agents"
       WHERE last_heartbeat_at < now() - make_interval(secs => $1 / 1000.0)`,
      [olderThanMs],
    );
  }
}
