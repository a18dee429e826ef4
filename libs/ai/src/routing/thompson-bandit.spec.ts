import { seededRandom, sampleBeta } from './random';
import { BanditArm, ThompsonBandit } from './thompson-bandit';

const arms: BanditArm[] = [
  { id: 'strong', priorSuccess: 0.9, expectedCostUsd: 0.01 },
  { id: 'cheap', priorSuccess: 0.6, expectedCostUsd: 0.0005 },
];

/** Plays `rounds` decisions where each arm succeeds with the given probability. */
function play(
  bandit: ThompsonBandit,
  truth: Record<string, number>,
  rounds: number,
  seed = 99,
  context = 'ctx',
) {
  const world = seededRandom(seed);
  const picks: Record<string, number> = {};
  let explored = 0;
  for (let round = 0; round < rounds; round++) {
    const choice = bandit.choose(context, arms);
    picks[choice.arm] = (picks[choice.arm] ?? 0) + 1;
    if (choice.explored) explored++;
    bandit.record(context, choice.arm, {
      success: world() < truth[choice.arm],
      latencyMs: choice.arm === 'strong' ? 2000 : 500,
      costUsd: arms.find((arm) => arm.id === choice.arm)!.expectedCostUsd,
    });
  }
  return { picks, explored };
}

describe(ThompsonBandit.name, () => {
  it('repeats its choices exactly with the same seed', () => {
    const first = play(new ThompsonBandit(seededRandom(1)), { strong: 0.95, cheap: 0.9 }, 200);
    const second = play(new ThompsonBandit(seededRandom(1)), { strong: 0.95, cheap: 0.9 }, 200);
    expect(second).toEqual(first);
  });

  it('settles on the cheap arm when it succeeds almost as often', () => {
    const { picks } = play(new ThompsonBandit(seededRandom(2)), { strong: 0.95, cheap: 0.92 }, 400);
    expect(picks.cheap).toBeGreaterThan(300);
  });

  it('learns to pay for the strong arm when the cheap one fails', () => {
    const { picks } = play(new ThompsonBandit(seededRandom(3)), { strong: 0.95, cheap: 0.2 }, 400);
    expect(picks.strong).toBeGreaterThan(300);
  });

  it('explores no more than its bound', () => {
    const bandit = new ThompsonBandit(seededRandom(4), { maxExplorationShare: 0.1 });
    const { explored } = play(bandit, { strong: 0.5, cheap: 0.5 }, 500);
    expect(explored).toBeLessThanOrEqual(50);
    const greedyOnly = new ThompsonBandit(seededRandom(4), { maxExplorationShare: 0 });
    expect(play(greedyOnly, { strong: 0.5, cheap: 0.5 }, 100).explored).toBe(0);
  });

  it('keeps contexts apart', () => {
    const bandit = new ThompsonBandit(seededRandom(5));
    play(bandit, { strong: 0.95, cheap: 0.1 }, 200, 7, 'code/review');
    play(bandit, { strong: 0.95, cheap: 0.95 }, 200, 7, 'chat/smalltalk');
    expect(bandit.choose('code/review', arms).ranking[0]).toBe('strong');
    expect(bandit.choose('chat/smalltalk', arms).ranking[0]).toBe('cheap');
  });

  it('follows drift because old observations fade', () => {
    const bandit = new ThompsonBandit(seededRandom(6), { decay: 0.98 });
    play(bandit, { strong: 0.95, cheap: 0.95 }, 300);
    const { picks } = play(bandit, { strong: 0.95, cheap: 0.05 }, 300, 8);
    expect(picks.strong).toBeGreaterThan(200);
    const cheap = bandit.snapshot('ctx').find((arm) => arm.arm === 'cheap')!;
    expect(cheap.successes + cheap.failures).toBeLessThan(1 / (1 - 0.98) + 1);
  });

  it('ranks the chosen arm first and every other arm after it', () => {
    const choice = new ThompsonBandit(seededRandom(7)).choose('new', [
      ...arms,
      { id: 'mid', priorSuccess: 0.8, expectedCostUsd: 0.002 },
    ]);
    expect(choice.ranking[0]).toBe(choice.arm);
    expect([...choice.ranking].sort()).toEqual(['cheap', 'mid', 'strong']);
  });
});

describe(sampleBeta.name, () => {
  it('has the mean of the distribution', () => {
    const random = seededRandom(11);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleBeta(random, 3, 7);
    expect(sum / 20_000).toBeCloseTo(0.3, 2);
    let small = 0;
    for (let i = 0; i < 20_000; i++) small += sampleBeta(random, 0.5, 0.5);
    expect(small / 20_000).toBeCloseTo(0.5, 1);
  });
});
