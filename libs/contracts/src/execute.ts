import { z } from 'zod';
import { defineRequest } from './request-contract';
import { identifierSchema, jsonObjectSchema } from './schemas';

export const executeCommandSchema = z.object({
  module: identifierSchema,
  action: identifierSchema,
  params: jsonObjectSchema.optional(),
});

export type ExecuteCommand = z.infer<typeof executeCommandSchema>;

export interface ExecuteResult {
  executionId: string;
  result: unknown;
  durationMs: number;
}

/** Runs one module action synchronously in the orchestrator. */
export const ExecuteRequest = defineRequest<ExecuteCommand, ExecuteResult>(
  'orchestrator.execute.v1',
);
