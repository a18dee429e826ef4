import { DynamicModule, Module } from '@nestjs/common';
import { MetricsService } from '@jarvis/observability';
import { JetStreamService } from './jetstream';
import { MessageBus } from './message-bus';
import { NatsConnectionHolder } from './nats-connection';
import { SubjectNamer } from './subject-namer';

export interface MessagingSettings {
  servers: string[];
  subjectPrefix: string;
  requestTimeoutMs: number;
  /** Connection name shown by the NATS server, e.g. `orchestrator`. */
  name: string;
}

@Module({})
export class MessagingModule {
  static forApp(settings: MessagingSettings): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: SubjectNamer, useValue: new SubjectNamer(settings.subjectPrefix) },
        {
          provide: NatsConnectionHolder,
          useFactory: async () => {
            const holder = new NatsConnectionHolder({
              servers: settings.servers,
              name: settings.name,
            });
            await holder.connect();
            return holder;
          },
        },
        {
          provide: MessageBus,
          inject: [NatsConnectionHolder, SubjectNamer, MetricsService],
          useFactory: (
            holder: NatsConnectionHolder,
            namer: SubjectNamer,
            metrics: MetricsService,
          ) => new MessageBus(holder, namer, settings.requestTimeoutMs, metrics),
        },
        JetStreamService,
      ],
      exports: [SubjectNamer, NatsConnectionHolder, MessageBus, JetStreamService],
    };
  }
}
