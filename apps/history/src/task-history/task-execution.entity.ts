import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ExecutionPhase } from '@jarvis/contracts';

/**
 * One stored execution record (`history.task_history`). The window indexes also
 * INCLUDE the columns the stats read; see the migration that creates them.
 */
@Entity({ schema: 'history', name: 'task_history' })
@Index('ix_task_history_domain_action_created_at', ['domain', 'action', 'createdAt'])
@Index('ix_task_history_created_at', ['createdAt'])
export class TaskExecutionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_task_history_execution_id', { unique: true })
  @Column({ name: 'execution_id', type: 'varchar', length: 128 })
  executionId: string;

  @Column({ name: 'task_id', type: 'varchar', length: 128, nullable: true })
  taskId: string | null;

  /** What feedback is given on: the task id, or the execution id when there was no task. */
  @Index('ix_task_history_task_key')
  @Column({
    name: 'task_key',
    type: 'varchar',
    length: 128,
    generatedType: 'STORED',
    asExpression: 'COALESCE("task_id", "execution_id")',
    insert: false,
    update: false,
  })
  taskKey: string;

  @Column({ type: 'varchar', length: 64 })
  domain: string;

  @Column({ type: 'varchar', length: 128 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  phase: ExecutionPhase;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'impact_score', type: 'double precision', nullable: true })
  impactScore: number | null;

  @Column({ name: 'resources_used', type: 'jsonb' })
  resourcesUsed: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  parameters: Record<string, unknown>;

  /** Fingerprint of the canonical parameter set (see parameter-set.ts). */
  @Column({ name: 'parameters_hash', type: 'bigint' })
  parametersHash: string;

  @Column({ type: 'jsonb' })
  logs: string[];

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId: string | null;

  /** When the execution started (from the record, not when history stored it). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}
