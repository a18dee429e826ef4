export interface MicroBatcherOptions<TItem, TResult> {
  /** Handles one batch; answers one result per item, in order. */
  flush: (items: TItem[]) => Promise<TResult[]>;
  maxBatch: number;
  /** Batches handled at the same time; more items wait and join the next batch. */
  maxConcurrentFlushes: number;
}

const ignore = () => undefined;

interface Waiting<TItem, TResult> {
  item: TItem;
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items added while a batch is being handled join the next one, so a
 * single item goes out at once when idle and batches grow with the load. Items added
 * in the same tick always travel together.
 */
export class MicroBatcher<TItem, TResult> {
  private waiting: Waiting<TItem, TResult>[] = [];
  private flushing = 0;
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: MicroBatcherOptions<TItem, TResult>) {}

  /** Adds an item whose result nobody waits for: the flush deals with its own failures. */
  push(item: TItem): void {
    this.waiting.push({ item, resolve: ignore, reject: ignore });
    this.schedule();
  }

  add(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves once every item added so far has been handled. */
  async drain(): Promise<void> {
    while (this.waiting.length > 0 || this.inFlight.size > 0) {
      this.schedule();
      await Promise.all([...this.inFlight]);
      if (this.inFlight.size === 0 && this.waiting.length > 0) await new Promise(setImmediate);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing >= this.options.maxConcurrentFlushes) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushSome();
    });
  }

  private flushSome(): void {
    while (this.waiting.length > 0 && this.flushing < this.options.maxConcurrentFlushes) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.flushing += 1;
      const done = this.flushBatch(batch).finally(() => {
        this.flushing -= 1;
        this.inFlight.delete(done);
        if (this.waiting.length > 0) this.schedule();
      });
      this.inFlight.add(done);
    }
  }

  private async flushBatch(batch: Waiting<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.options.flush(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(`Batch answered ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
