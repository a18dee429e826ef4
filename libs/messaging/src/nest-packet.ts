/**
 * The JSON envelope Nest's NATS transport uses, so that handlers written with
 * `@MessagePattern` / `@EventPattern` answer our plain `nats` client requests.
 */
export interface NestRequestPacket<T> {
  pattern: string;
  data: T;
  id?: string;
}

export interface NestReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodePacket(packet: NestRequestPacket<unknown>): Uint8Array {
  return encoder.encode(JSON.stringify(packet));
}

export function decodeReply(data: Uint8Array): NestReplyPacket {
  return JSON.parse(decoder.decode(data)) as NestReplyPacket;
}
