/**
 * The dispatch of each task a worker ran lately: at least the last `kept` runs, at most
 * twice as many. Two generations of maps instead of one map trimmed oldest first: taking
 * the oldest key of a map that keeps deleting its first entries walks over every deleted
 * one, a visible cost at thousands of runs a second.
 */
export class RecentRuns {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly kept: number) {}

  remember(taskId: string, dispatch: number): void {
    this.current.set(taskId, dispatch);
    if (this.current.size >= this.kept) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  /** The dispatch of the task's latest remembered run. */
  dispatchOf(taskId: string): number | undefined {
    return this.current.get(taskId) ?? this.previous.get(taskId);
  }
}
