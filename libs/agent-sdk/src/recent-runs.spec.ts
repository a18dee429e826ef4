import { RecentRuns } from './recent-runs';

describe(RecentRuns.name, () => {
  it('remembers at least the last runs it was told to keep', () => {
    const runs = new RecentRuns(3);
    for (let n = 1; n <= 10; n++) runs.remember(`task-${n}`, n);
    for (let n = 8; n <= 10; n++) expect(runs.dispatchOf(`task-${n}`)).toBe(n);
    expect(runs.dispatchOf('task-1')).toBeUndefined();
    expect(runs.dispatchOf('task-5')).toBeUndefined();
  });

  it('answers the latest dispatch of a task run again', () => {
    const runs = new RecentRuns(2);
    runs.remember('task', 1);
    runs.remember('other', 1);
    runs.remember('task', 2);
    expect(runs.dispatchOf('task')).toBe(2);
    expect(runs.dispatchOf('other')).toBe(1);
  });
});
