import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  SubjectNamer,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { NatsTaskLedger } from './task-ledger';
import { AgentWorkerDeps } from './agent-worker';

export interface AgentTransportSettings {
  servers: string[];
  /** The suite's `NATS_SUBJECT_PREFIX`. */
  subjectPrefix: string;
  /** Connection name shown by the NATS server. */
  name: string;
  /** How long a claim or report waits for the orchestrator. */
  ledgerTimeoutMs: number;
}

export interface AgentTransport extends AgentWorkerDeps {
  close(): Promise<void>;
}

/** Connects a worker process that runs outside the suite's apps to NATS and the orchestrator. */
export async function connectAgentTransport(
  settings: AgentTransportSettings,
): Promise<AgentTransport> {
  const connection = new NatsConnectionHolder({ servers: settings.servers, name: settings.name });
  await connection.connect();
  const namer = new SubjectNamer(settings.subjectPrefix);
  const bus = new MessageBus(connection, namer, settings.ledgerTimeoutMs, new MetricsService());
  return {
    connection,
    namer,
    bus,
    jetStream: new JetStreamService(connection, namer),
    ledger: new NatsTaskLedger(bus, settings.ledgerTimeoutMs),
    close: () => connection.onApplicationShutdown(),
  };
}
