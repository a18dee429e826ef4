import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AiBudgetQuery, AiUsageQuery, ValidationError } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { API_PREFIX } from '../http/api-prefix';
import { AiUsageQueryDto } from './ai-usage.dto';

const DEFAULT_USAGE_WINDOW_MS = 30 * 86_400_000;

@ApiTags('ai')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/ai`)
export class AiController {
  constructor(private readonly bus: MessageBus) {}

  @Get('usage')
  @ApiOperation({
    summary: 'AI calls, tokens and exact cost from the usage ledger, in total and per group',
  })
  async usage(@Query() query: AiUsageQueryDto) {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DEFAULT_USAGE_WINDOW_MS);
    if (from.getTime() >= to.getTime()) {
      throw new ValidationError('from must be before to', [
        { field: 'from', reason: 'must be before to' },
      ]);
    }
    const data = await this.bus.request(AiUsageQuery, {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy: query.groupBy,
    });
    return { success: true, data };
  }

  @Get('budget')
  @ApiOperation({
    summary:
      'Each AI budget period (daily, weekly, monthly): limit, spent, remaining, percent, resetsAt',
  })
  async budget() {
    const data = await this.bus.request(AiBudgetQuery, {});
    return { success: true, data };
  }
}
