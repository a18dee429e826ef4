import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import {
  AI_USAGE_GROUPINGS,
  AiUsageQuery,
  AiUsageReport,
  ValidationError,
} from '@jarvis/contracts';
import { AiUsageQueries } from './ai-usage.queries';

const usageQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    groupBy: z.enum(AI_USAGE_GROUPINGS).optional(),
  })
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), {
    message: 'from must be before to',
    path: ['from'],
  });

@Controller()
export class AiUsageController {
  constructor(private readonly queries: AiUsageQueries) {}

  @MessagePattern(AiUsageQuery.subject)
  usage(@Payload() payload: unknown): Promise<AiUsageReport> {
    const parsed = usageQuerySchema.safeParse(payload);
    if (!parsed.success) {
      throw new ValidationError(
        'Invalid AI usage query',
        parsed.error.issues.map((issue) => ({
          field: issue.path.join('.'),
          reason: issue.message,
        })),
      );
    }
    return this.queries.report(parsed.data);
  }
}
