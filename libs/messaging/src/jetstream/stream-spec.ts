/** A JetStream stream as the suite declares it; names and subjects are given without the prefix. */
export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  /** `workqueue`: a message is gone once acked; `limits`: kept until max age or bytes. */
  retention: 'workqueue' | 'limits';
  maxAgeMs?: number;
  maxBytes?: number;
  /** How long a repeated `Nats-Msg-Id` is recognised as a duplicate. */
  duplicateWindowMs?: number;
}

/** A durable pull consumer shared by every instance that reads with the same name. */
export interface DurableSpec {
  stream: string;
  durable: string;
  filterSubject?: string;
  ackWaitMs: number;
  maxDeliver: number;
  /** Redelivery delays after an ack wait expires; must be shorter than `maxDeliver`. */
  backoffMs?: number[];
  maxAckPending?: number;
}
