import { Injectable } from '@nestjs/common';
import { aiCompleteParamsSchema, ValidationError } from '@jarvis/contracts';
import { ActionHandler, ExecutableModule } from '../execution/executable-module';
import { AiCompletionService } from './ai-completion.service';

/**
 * The `ai` module: `complete` answers a prompt or a conversation through the model router,
 * with the text, the model used, the tokens and the exact cost.
 */
@Injectable()
export class AiActions implements ExecutableModule {
  readonly name = 'ai';
  readonly actions: Readonly<Record<string, ActionHandler>> = {
    complete: async (rawParams) => {
      const parsed = aiCompleteParamsSchema.safeParse(rawParams);
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({
          field: ['params', ...issue.path].join('.'),
          reason: issue.message,
        }));
        throw new ValidationError(
          `Invalid ai/complete params (${details[0].field}: ${details[0].reason})`,
          details,
        );
      }
      return { output: await this.completions.complete(parsed.data) };
    },
  };

  constructor(private readonly completions: AiCompletionService) {}
}
