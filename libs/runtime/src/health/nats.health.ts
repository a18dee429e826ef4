import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NatsConnectionHolder } from '@jarvis/messaging';

/** NATS is ready when our connection is open and a round trip to the server completes. */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly connection: NatsConnectionHolder,
  ) {}

  async isReady(key: string, timeoutMs: number) {
    const check = this.indicator.check(key);
    if (!this.connection.isConnected()) return check.down({ message: 'not connected' });
    try {
      await Promise.race([
        this.connection.nc.flush(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), timeoutMs).unref(),
        ),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
