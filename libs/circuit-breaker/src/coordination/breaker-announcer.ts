import type { Msg, Subscription } from 'nats';
import {
  AppName,
  CircuitState,
  CircuitStateChanged,
  CircuitStateChangedEvent,
  circuitStateChangedSchema,
} from '@jarvis/contracts';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { BreakerSnapshot } from '../breaker-snapshot';

const decoder = new TextDecoder();

/**
 * Announces this instance's breaker transitions and hears the other instances' of the
 * same app. The subscription has no queue group: every instance must hear every
 * announcement, not one of them.
 */
export class BreakerAnnouncer {
  private subscription: Subscription | undefined;

  constructor(
    private readonly app: AppName,
    readonly instanceId: string,
    private readonly bus: MessageBus,
    private readonly connection: NatsConnectionHolder,
    private readonly namer: SubjectNamer,
  ) {}

  announce(snapshot: BreakerSnapshot, previousState: CircuitState | null, changedAt: number): void {
    const event: CircuitStateChangedEvent = {
      app: this.app,
      instanceId: this.instanceId,
      name: snapshot.name,
      state: snapshot.state,
      previousState,
      failureCount: snapshot.failureCount,
      successCount: snapshot.successCount,
      openedAt: snapshot.openedAt,
      nextAttemptAt: snapshot.nextAttemptAt,
      lastFailureAt: snapshot.lastFailureAt,
      lastError: snapshot.lastError,
      version: snapshot.version,
      changedAt,
    };
    this.bus.emit(CircuitStateChanged, event);
  }

  /** Calls `onState` with every valid announcement of another instance of this app. */
  listen(onState: (snapshot: BreakerSnapshot) => void): void {
    this.subscription = this.connection.nc.subscribe(
      this.namer.subject(CircuitStateChanged.subject),
      {
        callback: (error, message) => {
          if (error) return;
          const event = this.decode(message);
          if (event && event.app === this.app && event.instanceId !== this.instanceId) {
            onState(toSnapshot(event));
          }
        },
      },
    );
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /** The event inside Nest's packet envelope; anything malformed is dropped. */
  private decode(message: Msg): CircuitStateChangedEvent | undefined {
    try {
      const packet = JSON.parse(decoder.decode(message.data)) as { data?: unknown };
      const parsed = circuitStateChangedSchema.safeParse(packet.data);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

function toSnapshot(event: CircuitStateChangedEvent): BreakerSnapshot {
  return {
    name: event.name,
    state: event.state,
    failureCount: event.failureCount,
    successCount: event.successCount,
    openedAt: event.openedAt,
    nextAttemptAt: event.nextAttemptAt,
    lastFailureAt: event.lastFailureAt,
    lastError: event.lastError,
    version: event.version,
  };
}
