import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { CircuitBreakerManager, CircuitBreakerManagerSettings } from './circuit-breaker.manager';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics';
import { Clock, systemClock } from './clock';
import { BreakerAnnouncer } from './coordination/breaker-announcer';
import { BreakerStateSync, BreakerStateSyncSettings } from './coordination/breaker-state-sync';
import { BreakerStateStore } from './persistence/breaker-state.store';

export const DEFAULT_SYNC_SETTINGS: BreakerStateSyncSettings = {
  resyncIntervalMs: 5_000,
  retryAfterMs: 1_000,
  flushTimeoutMs: 2_000,
};

export interface CircuitBreakerManagerParts extends CircuitBreakerManagerSettings {
  dataSource: DataSource;
  bus: MessageBus;
  connection: NatsConnectionHolder;
  namer: SubjectNamer;
  registry: Registry;
  clock?: Clock;
  sync?: Partial<BreakerStateSyncSettings>;
}

/** Wires a manager from the app's data source, NATS and metrics registry (the module uses it too). */
export function createCircuitBreakerManager(
  parts: CircuitBreakerManagerParts,
): CircuitBreakerManager {
  const clock = parts.clock ?? systemClock;
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const sync = new BreakerStateSync(
    new BreakerStateStore(parts.dataSource),
    new BreakerAnnouncer(parts.app, instanceId, parts.bus, parts.connection, parts.namer),
    clock,
    { ...DEFAULT_SYNC_SETTINGS, ...parts.sync },
  );
  return new CircuitBreakerManager(
    { app: parts.app, defaults: parts.defaults },
    sync,
    new CircuitBreakerMetrics(parts.registry),
    clock,
  );
}
