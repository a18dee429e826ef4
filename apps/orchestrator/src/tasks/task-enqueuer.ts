import { MicroBatcher } from '@jarvis/agent-sdk';
import { OutboxRelay } from '../queue/outbox-relay';
import { InsertedTask, NewTask, TaskStore } from './task.store';

/**
 * Records new tasks in batches (one statement per batch: tasks, decisions and queue
 * messages together) and hands their messages to the relay once committed. A caller
 * waits only for its own task's commit.
 */
export class TaskEnqueuer {
  private readonly inserts: MicroBatcher<NewTask, InsertedTask>;

  constructor(
    store: TaskStore,
    private readonly relay: OutboxRelay,
  ) {
    this.inserts = new MicroBatcher({
      maxBatch: 1000,
      maxConcurrentFlushes: 2,
      flush: (tasks) => store.insert(tasks),
    });
  }

  async enqueue(task: NewTask): Promise<InsertedTask> {
    const inserted = await this.inserts.add(task);
    if (inserted.dispatch) this.relay.relay([inserted.dispatch]);
    return inserted;
  }

  drain(): Promise<void> {
    return this.inserts.drain();
  }
}
