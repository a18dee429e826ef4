/**
 * A request/reply pair over core NATS: the subject and, through phantom types,
 * what goes in and what comes back. Sender and handler share one constant,
 * so a rename is one change the compiler checks.
 */
export interface RequestContract<TRequest, TReply> {
  readonly subject: string;
  readonly __request?: TRequest;
  readonly __reply?: TReply;
}

export type RequestOf<C> = C extends RequestContract<infer R, unknown> ? R : never;
export type ReplyOf<C> = C extends RequestContract<unknown, infer R> ? R : never;

export function defineRequest<TRequest, TReply>(
  subject: string,
): RequestContract<TRequest, TReply> {
  return { subject };
}

/** A fire-and-forget event over core NATS. */
export interface EventContract<TEvent> {
  readonly subject: string;
  readonly __event?: TEvent;
}

export type EventOf<C> = C extends EventContract<infer E> ? E : never;

export function defineEvent<TEvent>(subject: string): EventContract<TEvent> {
  return { subject };
}
