import { Module } from '@nestjs/common';
import { AiUsageConsumer } from './ai-usage.consumer';
import { AiUsageController } from './ai-usage.controller';
import { AiUsageQueries } from './ai-usage.queries';
import { AiUsageStore } from './ai-usage.store';

/** The AI usage ledger: stores the records of the AI_USAGE stream and answers usage queries. */
@Module({
  controllers: [AiUsageController],
  providers: [AiUsageStore, AiUsageConsumer, AiUsageQueries],
})
export class AiUsageModule {}
