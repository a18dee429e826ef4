import { MicroBatcher } from './micro-batcher';

describe(MicroBatcher.name, () => {
  it('sends items added in the same tick as one batch, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 100,
      maxConcurrentFlushes: 1,
      flush: (items) => {
        batches.push(items);
        return Promise.resolve(items.map((n) => n * 2));
      },
    });
    await expect(Promise.all([1, 2, 3].map((n) => batcher.add(n)))).resolves.toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives during a flush into the next batch, up to the batch size', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new MicroBatcher<number, null>({
      maxBatch: 3,
      maxConcurrentFlushes: 1,
      flush: async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.map(() => null);
      },
    });
    const first = batcher.add(0);
    await new Promise(setImmediate);
    const later = [1, 2, 3, 4].map((n) => batcher.add(n));
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[0], [1, 2, 3], [4]]);
  });

  it('rejects every item of a batch whose flush failed, and goes on with the next', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 10,
      maxConcurrentFlushes: 1,
      flush: (items) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('database down'));
        }
        return Promise.resolve(items);
      },
    });
    const failed = [batcher.add(1), batcher.add(2)];
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      expect.objectContaining({ status: 'rejected' }),
      expect.objectContaining({ status: 'rejected' }),
    ]);
    await expect(batcher.add(3)).resolves.toBe(3);
  });

  it('takes pushed items, whose results nobody awaits, in the same batches', async () => {
    const batches: number[][] = [];
    let fail = true;
    const batcher = new MicroBatcher<number, null>({
      maxBatch: 10,
      maxConcurrentFlushes: 1,
      flush: (items) => {
        batches.push(items);
        if (fail) {
          fail = false;
          return Promise.reject(new Error('database down'));
        }
        return Promise.resolve(items.map(() => null));
      },
    });
    batcher.push(1);
    batcher.push(2);
    await new Promise(setImmediate);
    batcher.push(3);
    await expect(batcher.add(4)).resolves.toBeNull();
    await batcher.drain();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('drains: resolves once everything added so far was handled', async () => {
    const handled: number[] = [];
    const batcher = new MicroBatcher<number, null>({
      maxBatch: 2,
      maxConcurrentFlushes: 2,
      flush: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        handled.push(...items);
        return items.map(() => null);
      },
    });
    for (let n = 0; n < 7; n++) void batcher.add(n);
    await batcher.drain();
    expect(handled.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
