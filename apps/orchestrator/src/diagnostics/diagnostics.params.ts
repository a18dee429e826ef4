import { z } from 'zod';

/** Params every diagnostics action honours; anything else is passed through (`echo`). */
export const diagnosticsParamsSchema = z
  .object({
    fail: z.boolean().optional(),
    ms: z.number().int().min(0).max(60_000).optional(),
    impactScore: z.number().min(0).max(1).optional(),
  })
  .passthrough();

export type DiagnosticsParams = z.infer<typeof diagnosticsParamsSchema>;
