import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TaskFeedbackValue } from '@jarvis/contracts';

/**
 * A person's opinion of a task (`history.task_feedback`), filed under the domain and
 * action of the task's latest execution; a task's latest feedback counts.
 */
@Entity({ schema: 'history', name: 'task_feedback' })
@Index('ix_task_feedback_domain_action_created_at', ['domain', 'action', 'createdAt'])
export class TaskFeedbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'task_id', type: 'varchar', length: 128 })
  taskId: string;

  @Column({ type: 'varchar', length: 64 })
  domain: string;

  @Column({ type: 'varchar', length: 128 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  feedback: TaskFeedbackValue;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Index('ix_task_feedback_created_at')
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;
}
