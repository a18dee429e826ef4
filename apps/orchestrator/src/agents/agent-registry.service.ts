import { Inject, Injectable } from '@nestjs/common';
import { AgentHeartbeat, AgentStatus, AgentView } from '@jarvis/contracts';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { AgentRow, AgentStore } from './agent.store';

/** A worker missing this many heartbeats in a row is listed offline. */
const MISSED_HEARTBEATS_OFFLINE = 3;
/** Workers silent for a day are forgotten. */
const FORGET_AFTER_MS = 24 * 3_600_000;
/** How long the known domains and actions are reused before they are read again. */
const CATALOG_TTL_MS = 2000;

/** Registered agents, and which domains and actions they offer. */
@Injectable()
export class AgentRegistry {
  private catalog: { at: number; actions: Map<string, Set<string>> } | undefined;

  constructor(
    private readonly store: AgentStore,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'tasks'>,
  ) {}

  async heartbeat(heartbeat: AgentHeartbeat): Promise<void> {
    await this.store.saveHeartbeat(heartbeat);
    this.catalog = undefined;
  }

  async list(now = new Date()): Promise<AgentView[]> {
    await this.store.prune(FORGET_AFTER_MS);
    return (await this.store.list()).map((row) => this.viewOf(row, now));
  }

  /** The actions registered agents offer, by domain (a short-lived cache of the registry). */
  async offeredActions(): Promise<ReadonlyMap<string, ReadonlySet<string>>> {
    if (this.catalog && Date.now() - this.catalog.at < CATALOG_TTL_MS) return this.catalog.actions;
    const actions = new Map<string, Set<string>>();
    for (const row of await this.store.list()) {
      const known = actions.get(row.domain) ?? new Set<string>();
      for (const action of row.actions) known.add(action);
      actions.set(row.domain, known);
    }
    this.catalog = { at: Date.now(), actions };
    return actions;
  }

  private viewOf(row: AgentRow, now: Date): AgentView {
    const silentMs = now.getTime() - row.last_heartbeat_at.getTime();
    const offlineAfterMs = MISSED_HEARTBEATS_OFFLINE * this.config.tasks.agentHeartbeatIntervalMs;
    const status: AgentStatus =
      row.state === 'stopping' ? 'stopped' : silentMs > offlineAfterMs ? 'offline' : 'online';
    return {
      domain: row.domain,
      instance: row.instance,
      actions: row.actions,
      concurrency: row.concurrency,
      tasksInFlight: status === 'online' ? row.tasks_in_flight : 0,
      status,
      startedAt: row.started_at.toISOString(),
      lastHeartbeatAt: row.last_heartbeat_at.toISOString(),
    };
  }
}
