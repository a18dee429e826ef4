import { z } from 'zod';
import { defineRequest } from './request-contract';

const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z][a-z0-9_-]*$/,
    'must be lower-case letters, digits, "_" or "-", starting with a letter',
  );

export const executeCommandSchema = z.object({
  module: identifier,
  action: identifier,
  params: z.record(z.string(), z.unknown()).optional(),
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
