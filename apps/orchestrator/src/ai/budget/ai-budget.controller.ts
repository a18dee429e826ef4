import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AiBudgetQuery, AiBudgetReport } from '@jarvis/contracts';
import { AiBudgetService } from './ai-budget.service';

@Controller()
export class AiBudgetController {
  constructor(private readonly budget: AiBudgetService) {}

  @MessagePattern(AiBudgetQuery.subject)
  report(): Promise<AiBudgetReport> {
    return this.budget.report();
  }
}
