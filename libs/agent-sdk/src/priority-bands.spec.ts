import { PriorityBands } from './priority-bands';

describe(PriorityBands.name, () => {
  const fill = (bands: PriorityBands<string>, count: number) => {
    for (let i = 0; i < count; i++) {
      bands.push('high', `h${i}`);
      bands.push('normal', `n${i}`);
      bands.push('low', `l${i}`);
    }
  };

  it('picks high, normal and low 4:2:1 while all three have work', () => {
    const bands = new PriorityBands<string>();
    fill(bands, 40);
    const picks = Array.from({ length: 70 }, () => bands.next()?.priority);
    expect(picks.filter((p) => p === 'high')).toHaveLength(40);
    expect(picks.filter((p) => p === 'normal')).toHaveLength(20);
    expect(picks.filter((p) => p === 'low')).toHaveLength(10);
  });

  it('starts with high and lets low through within the first seven picks', () => {
    const bands = new PriorityBands<string>();
    fill(bands, 10);
    const firstSeven = Array.from({ length: 7 }, () => bands.next()?.priority);
    expect(firstSeven[0]).toBe('high');
    expect(firstSeven).toContain('low');
    expect(firstSeven).toContain('normal');
  });

  it('keeps each band first in, first out, and picks a band alone every time', () => {
    const bands = new PriorityBands<string>();
    bands.push('low', 'a');
    bands.push('low', 'b');
    expect(bands.next()).toEqual({ priority: 'low', item: 'a' });
    expect(bands.next()).toEqual({ priority: 'low', item: 'b' });
    expect(bands.next()).toBeUndefined();
  });

  it('gives everything back, high first', () => {
    const bands = new PriorityBands<string>();
    bands.push('low', 'l');
    bands.push('high', 'h');
    bands.push('normal', 'n');
    expect(bands.takeAll()).toEqual(['h', 'n', 'l']);
    expect(bands.size).toBe(0);
  });
});
