import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { CORRELATION_HEADER } from '@jarvis/contracts';
import { CorrelationContext } from './correlation-context';

/** Restores the correlation ID carried in a NATS header around every message handler. */
@Injectable()
export class RpcCorrelationInterceptor implements NestInterceptor {
  constructor(private readonly correlation: CorrelationContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const natsContext = context.switchToRpc().getContext<unknown>();
    const incoming =
      natsContext instanceof NatsContext
        ? natsContext.getHeaders()?.get(CORRELATION_HEADER)
        : undefined;
    return new Observable((subscriber) =>
      this.correlation.run(incoming, () => next.handle().subscribe(subscriber)),
    );
  }
}
