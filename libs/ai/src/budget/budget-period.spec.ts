import { UsdAmount } from '../money/usd-amount';
import { budgetStatus, budgetWindow, isExhausted, thresholdsCrossed } from './budget-period';

const at = (iso: string) => new Date(iso);
const usd = (text: string) => UsdAmount.parse(text);

describe(budgetWindow.name, () => {
  it('starts a day at UTC midnight', () => {
    const window = budgetWindow('daily', at('2025-03-09T23:59:59.999Z'));
    expect(window.start.toISOString()).toBe('2025-03-09T00:00:00.000Z');
    expect(window.end.toISOString()).toBe('2025-03-10T00:00:00.000Z');
  });

  it.each([
    ['2025-03-10T00:00:00.000Z', '2025-03-10'], // Monday itself
    ['2025-03-12T12:00:00.000Z', '2025-03-10'], // Wednesday
    ['2025-03-16T23:59:59.999Z', '2025-03-10'], // Sunday, last instant
    ['2025-03-17T00:00:00.000Z', '2025-03-17'], // next Monday
    ['2025-01-01T08:00:00.000Z', '2024-12-30'], // across a year
  ])('starts the week of %s on Monday %s', (instant, monday) => {
    const window = budgetWindow('weekly', at(instant));
    expect(window.start.toISOString()).toBe(`${monday}T00:00:00.000Z`);
    expect(window.end.getTime() - window.start.getTime()).toBe(7 * 86_400_000);
  });

  it.each([
    ['2024-02-29T10:00:00.000Z', '2024-02-01', '2024-03-01'], // leap February
    ['2025-12-31T23:59:59.000Z', '2025-12-01', '2026-01-01'], // across a year
    ['2025-04-01T00:00:00.000Z', '2025-04-01', '2025-05-01'],
  ])('puts %s in the calendar month %s to %s', (instant, start, end) => {
    const window = budgetWindow('monthly', at(instant));
    expect(window.start.toISOString()).toBe(`${start}T00:00:00.000Z`);
    expect(window.end.toISOString()).toBe(`${end}T00:00:00.000Z`);
  });

  it('ignores the local time zone of the process', () => {
    // 2025-03-10T01:30 in UTC+2 is still Sunday 23:30 UTC.
    const window = budgetWindow('weekly', at('2025-03-10T01:30:00+02:00'));
    expect(window.start.toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });
});

describe(thresholdsCrossed.name, () => {
  const limit = usd('1.00');

  it.each([
    ['0', '0.79', []],
    ['0.79', '0.80', [80]],
    ['0.80', '0.99', []],
    ['0.99', '1.00', [100]],
    ['0.50', '1.20', [80, 100]],
    ['1.00', '5.00', []],
  ])('from %s to %s crosses %p', (before, after, crossed) => {
    expect(thresholdsCrossed(limit, usd(before), usd(after))).toEqual(crossed);
  });
});

describe(budgetStatus.name, () => {
  const window = budgetWindow('daily', at('2025-03-09T12:00:00Z'));

  it('reports limit, spent, remaining, percent and reset time', () => {
    expect(budgetStatus(window, usd('0.0012'), usd('0.0010506'))).toEqual({
      period: 'daily',
      limitUsd: '0.0012',
      spentUsd: '0.0010506',
      remainingUsd: '0.0001494',
      percent: 87.55,
      periodStart: '2025-03-09T00:00:00.000Z',
      resetsAt: '2025-03-10T00:00:00.000Z',
    });
  });

  it('never reports a negative remainder, and no limit as nulls', () => {
    expect(budgetStatus(window, usd('1'), usd('1.5'))).toMatchObject({
      remainingUsd: '0',
      percent: 150,
    });
    expect(budgetStatus(window, undefined, usd('3'))).toMatchObject({
      limitUsd: null,
      remainingUsd: null,
      percent: null,
      spentUsd: '3',
    });
  });

  it('counts a period as exhausted from 100 %, and a zero limit from the start', () => {
    expect(isExhausted(usd('1'), usd('0.999999'))).toBe(false);
    expect(isExhausted(usd('1'), usd('1'))).toBe(true);
    expect(isExhausted(usd('0'), usd('0'))).toBe(true);
    expect(budgetStatus(window, usd('0'), usd('0')).percent).toBe(100);
  });
});
