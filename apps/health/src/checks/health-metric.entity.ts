import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { HealthStatus } from '@jarvis/contracts';

/** One check of one target. */
@Entity({ schema: 'health', name: 'health_metrics' })
@Index('ix_health_metrics_target_checked_at', ['target', 'checkedAt'])
@Index('ix_health_metrics_checked_at', ['checkedAt'])
export class HealthMetricEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  target: string;

  @Column({ type: 'varchar', length: 10 })
  status: HealthStatus;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  /** Why the target was not up; null when it was. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;
}
