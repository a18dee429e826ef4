import { Inject, Injectable, Logger } from '@nestjs/common';
import { BudgetAlertEvent } from '@jarvis/contracts';
import { BUDGET_SETTINGS, type BudgetSettings } from '../ai.tokens';

const WEBHOOK_TIMEOUT_MS = 5000;

/**
 * POSTs each budget alert to `BUDGET_ALERT_WEBHOOK_URL` as JSON: the event's fields plus a
 * `text` line, which Slack, Discord (as `content`) and Teams incoming webhooks display.
 * One POST per alert and no retry: a retry after a lost answer would alert twice.
 */
@Injectable()
export class BudgetAlertWebhook {
  private readonly logger = new Logger(BudgetAlertWebhook.name);

  constructor(@Inject(BUDGET_SETTINGS) private readonly settings: BudgetSettings) {}

  async post(alert: BudgetAlertEvent, text: string): Promise<void> {
    const url = this.settings.webhookUrl;
    if (!url) return;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'budget.alert', text, content: text, ...alert }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok) {
        this.logger.error(
          { status: response.status, period: alert.period, threshold: alert.threshold },
          'The budget alert webhook refused the alert',
        );
      }
    } catch (error) {
      this.logger.error(
        { err: error, period: alert.period, threshold: alert.threshold },
        'The budget alert webhook could not be reached',
      );
    }
  }
}
