import { randomUUID } from 'node:crypto';
import type { ExecutionRecord } from '@jarvis/contracts';

/** Test data: one execution record with overridable defaults. */
export function anExecutionRecord(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    executionId: randomUUID(),
    taskId: null,
    domain: 'diagnostics',
    action: 'ping',
    phase: 'execute',
    success: true,
    error: null,
    durationMs: 10,
    impactScore: null,
    resourcesUsed: {},
    parameters: {},
    logs: [],
    correlationId: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
