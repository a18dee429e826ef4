import { Module } from '@nestjs/common';
import { AiController } from './ai.controller';

/** `GET /api/v1/ai/usage` (history's ledger) and `GET /api/v1/ai/budget` (the orchestrator's budgets). */
@Module({ controllers: [AiController] })
export class AiModule {}
