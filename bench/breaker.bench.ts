/**
 * Circuit breaker benchmark.
 *
 * 1. Per-call overhead in CLOSED state: our breaker, opossum 9 and cockatiel 3 wrap the
 *    same no-op async function in one process. After a warm-up, rounds run every subject
 *    in a shuffled order (gc between rounds); a subject's figure is its median ns/op over
 *    the rounds minus the bare `await fn()` baseline's.
 * 2. Propagation: the time from a transition on one manager to the moment a second
 *    manager of the same app has followed it, over real PostgreSQL (a database of its
 *    own, created and dropped) and NATS (a subject prefix of its own).
 *
 * Prints a table, then, as its last line, one JSON object.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import OpossumBreaker from 'opossum';
import { Registry } from 'prom-client';
import {
  CircuitBreaker,
  CircuitBreakerManager,
  CircuitBreakerStateEntity,
  createCircuitBreakerManager,
  createCircuitBreakerStateTableV1,
  resolveBreakerOptions,
} from '@jarvis/circuit-breaker';
import { openMigratedDataSource } from '@jarvis/database';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { createTestDatabase, TEST_NATS_URL, uniqueSubjectPrefix } from '@jarvis/testing';

const CALLS_PER_ROUND = Number(process.env.BENCH_CALLS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WARMUP_CALLS = 20_000;
const PROPAGATIONS = Number(process.env.BENCH_PROPAGATIONS ?? 200);
const SCHEMA = 'bench';

type Call = () => Promise<unknown>;
interface Subject {
  name: string;
  call: Call;
}

const noop = async (): Promise<number> => 1;

function subjects(): Subject[] {
  const ours = new CircuitBreaker(
    'bench',
    resolveBreakerOptions({ enabled: true, failureThreshold: 5, resetTimeoutMs: 60_000 }),
  );
  const opossumTuned = new OpossumBreaker(noop, {
    timeout: false,
    resetTimeout: 60_000,
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  const opossumDefaults = new OpossumBreaker(noop);
  const cockatiel = circuitBreaker(handleAll, {
    halfOpenAfter: 60_000,
    breaker: new ConsecutiveBreaker(5),
  });
  return [
    { name: 'baseline', call: noop },
    { name: 'ours', call: () => ours.execute(noop) },
    { name: 'opossum', call: () => opossumTuned.fire() },
    { name: 'opossum-defaults', call: () => opossumDefaults.fire() },
    { name: 'cockatiel', call: () => cockatiel.execute(noop) },
  ];
}

async function loop(call: Call, calls: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - started) / calls;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const median = (values: number[]) => quantile(values, 0.5);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

async function measureOverhead() {
  const all = subjects();
  for (const subject of all) await loop(subject.call, WARMUP_CALLS);
  const perRound = new Map<string, number[]>(all.map((subject) => [subject.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of shuffled(all)) {
      globalThis.gc?.();
      perRound.get(subject.name)!.push(await loop(subject.call, CALLS_PER_ROUND));
    }
  }
  const baseline = median(perRound.get('baseline')!);
  return all.map((subject) => {
    const rounds = perRound.get(subject.name)!;
    return {
      name: subject.name,
      medianNs: median(rounds),
      minNs: Math.min(...rounds),
      maxNs: Math.max(...rounds),
      overheadNs: subject.name === 'baseline' ? 0 : Math.max(0, median(rounds) - baseline),
    };
  });
}

interface BenchInstance {
  manager: CircuitBreakerManager;
  close(): Promise<void>;
}

async function startInstance(url: string, prefix: string): Promise<BenchInstance> {
  const dataSource = await openMigratedDataSource({
    url,
    schema: SCHEMA,
    entities: [CircuitBreakerStateEntity],
    migrations: [createCircuitBreakerStateTableV1(SCHEMA, 1764300000000)],
    applicationName: 'bench-breaker',
    poolSize: 2,
  });
  const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'bench-breaker' });
  await connection.connect();
  const namer = new SubjectNamer(prefix);
  const manager = createCircuitBreakerManager({
    app: 'health',
    defaults: { enabled: true, failureThreshold: 1, resetTimeoutMs: 60_000 },
    dataSource,
    bus: new MessageBus(connection, namer, 1000, new MetricsService()),
    connection,
    namer,
    registry: new Registry(),
    // Only NATS may carry a transition here: the periodic re-read would blur the figure.
    sync: { resyncIntervalMs: 3_600_000 },
  });
  await manager.onModuleInit();
  return {
    manager,
    close: async () => {
      await manager.beforeApplicationShutdown();
      await connection.onApplicationShutdown();
      await dataSource.destroy();
    },
  };
}

/** Milliseconds from a transition on `source` until `follower` has followed it, per transition. */
async function measurePropagation(): Promise<number[]> {
  const database = await createTestDatabase();
  const prefix = uniqueSubjectPrefix();
  const source = await startInstance(database.url, prefix);
  const follower = await startInstance(database.url, prefix);
  try {
    const name = 'propagation';
    const sourceBreaker = source.manager.getBreaker(name);
    const followerBreaker = follower.manager.getBreaker(name);
    let changedAt = 0;
    let followed: (() => void) | undefined;
    sourceBreaker.onTransition(() => {
      changedAt = performance.now();
    });
    followerBreaker.onTransition((transition) => {
      if (transition.reason === 'followed') followed?.();
    });
    const transition = async (change: () => Promise<unknown>): Promise<number> => {
      const done = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no propagation within 5 s')), 5_000);
        followed = () => {
          clearTimeout(timer);
          resolve(performance.now() - changedAt);
        };
      });
      await change();
      return done;
    };
    const samples: number[] = [];
    for (let i = 0; i < PROPAGATIONS + 10; i++) {
      const opened = await transition(() =>
        sourceBreaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined),
      );
      const closed = await transition(() => source.manager.reset(name));
      if (i >= 10) samples.push(opened, closed);
    }
    return samples;
  } finally {
    await source.close();
    await follower.close();
    await database.drop();
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  // Propagation first: the overhead rounds leave garbage and timers that would stall it.
  const propagation = await measurePropagation();
  globalThis.gc?.();
  const overhead = await measureOverhead();

  const line = (cells: (string | number)[]) =>
    cells.map((cell, i) => String(cell).padStart(i === 0 ? 18 : 12)).join(' ');
  process.stdout.write(
    `Per-call cost in CLOSED state (${ROUNDS} rounds x ${CALLS_PER_ROUND} awaited calls, Node ${process.version})\n`,
  );
  process.stdout.write(`${line(['subject', 'median ns', 'min ns', 'max ns', 'overhead ns'])}\n`);
  for (const row of overhead) {
    process.stdout.write(
      `${line([row.name, round1(row.medianNs), round1(row.minNs), round1(row.maxNs), round1(row.overheadNs)])}\n`,
    );
  }
  const p50 = quantile(propagation, 0.5);
  const p99 = quantile(propagation, 0.99);
  process.stdout.write(
    `\nPropagation to a second instance (${propagation.length} transitions, PostgreSQL write + NATS)\n`,
  );
  process.stdout.write(
    `${line(['', 'p50 ms', 'p99 ms', 'max ms'])}\n${line(['transition', round3(p50), round3(p99), round3(Math.max(...propagation))])}\n\n`,
  );

  const of = (name: string) => overhead.find((row) => row.name === name)!.overheadNs;
  const best = Math.min(of('opossum'), of('cockatiel'));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'breaker',
      ours_ns: round1(of('ours')),
      opossum_ns: round1(of('opossum')),
      cockatiel_ns: round1(of('cockatiel')),
      ratio_vs_best: round3(of('ours') / best),
      propagation_p99_ms: round3(p99),
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:breaker failed: ${String(error)}\n`);
    process.exit(1);
  },
);
