import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, NatsConnection } from 'nats';

export interface NatsConnectionSettings {
  servers: string[];
  name: string;
}

/**
 * The app's own NATS connection for requests, events and JetStream
 * (Nest's server keeps a separate one for its subscriptions).
 */
@Injectable()
export class NatsConnectionHolder implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsConnectionHolder.name);
  private connection: NatsConnection | undefined;

  constructor(private readonly settings: NatsConnectionSettings) {}

  async connect(): Promise<NatsConnection> {
    if (this.connection) return this.connection;
    this.connection = await connect({
      servers: this.settings.servers,
      name: this.settings.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    void this.watchStatus(this.connection);
    return this.connection;
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  isConnected(): boolean {
    return this.connection !== undefined && !this.connection.isClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
  }

  private async watchStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        this.logger.warn(`NATS ${status.type} (${String(status.data)})`);
      }
    }
  }
}
