import { TASK_PRIORITIES, TaskPriority } from '@jarvis/contracts';

/** Share of picks each priority gets while all have work: high before normal before low, none starved. */
export const PRIORITY_WEIGHTS: Readonly<Record<TaskPriority, number>> = {
  high: 4,
  normal: 2,
  low: 1,
};

/**
 * Three FIFO bands picked by smooth weighted round robin over the bands that hold
 * something: with all three busy, of every seven picks four are high, two normal and
 * one low; a band alone is picked every time.
 */
export class PriorityBands<T> {
  private readonly bands: Record<TaskPriority, T[]> = { high: [], normal: [], low: [] };
  private readonly credit: Record<TaskPriority, number> = { high: 0, normal: 0, low: 0 };

  constructor(
    private readonly weights: Readonly<Record<TaskPriority, number>> = PRIORITY_WEIGHTS,
  ) {}

  push(priority: TaskPriority, item: T): void {
    this.bands[priority].push(item);
  }

  sizeOf(priority: TaskPriority): number {
    return this.bands[priority].length;
  }

  get size(): number {
    return TASK_PRIORITIES.reduce((sum, priority) => sum + this.bands[priority].length, 0);
  }

  next(): { priority: TaskPriority; item: T } | undefined {
    const ready = TASK_PRIORITIES.filter((priority) => this.bands[priority].length > 0);
    if (ready.length === 0) return undefined;
    // An empty band keeps no credit: it starts even when work arrives again.
    for (const priority of TASK_PRIORITIES)
      if (!ready.includes(priority)) this.credit[priority] = 0;
    let total = 0;
    let best = ready[0];
    for (const priority of ready) {
      this.credit[priority] += this.weights[priority];
      total += this.weights[priority];
      if (this.credit[priority] > this.credit[best]) best = priority;
    }
    this.credit[best] -= total;
    return { priority: best, item: this.bands[best].shift() as T };
  }

  /** Empties every band, high first. */
  takeAll(): T[] {
    return TASK_PRIORITIES.flatMap((priority) => this.bands[priority].splice(0));
  }
}
