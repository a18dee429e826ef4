import { Injectable, Logger } from '@nestjs/common';
import { BudgetAlert, BudgetAlertEvent } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { BudgetAlertWebhook } from './budget-alert.webhook';

/** Tells everyone about one budget alert: a `budget.alert` event, a log line and the webhook. */
@Injectable()
export class BudgetAlertNotifier {
  private readonly logger = new Logger('BudgetAlert');

  constructor(
    private readonly bus: MessageBus,
    private readonly webhook: BudgetAlertWebhook,
  ) {}

  /** Resolves once the event is out and the webhook answered (or failed, which is logged). */
  async notify(alert: BudgetAlertEvent): Promise<void> {
    const text =
      `AI budget alert: ${alert.percent}% of the ${alert.period} budget used ` +
      `(${alert.spentUsd} of ${alert.limitUsd} USD); the period resets at ${alert.resetsAt}`;
    const fields = { budgetAlert: alert };
    if (alert.threshold >= 100) this.logger.error(fields, text);
    else this.logger.warn(fields, text);
    try {
      this.bus.emit(BudgetAlert, alert);
    } catch (error) {
      this.logger.error({ err: error }, 'The budget.alert event could not be sent');
    }
    await this.webhook.post(alert, text);
  }
}
