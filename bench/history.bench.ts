/**
 * Task history benchmark: ingest rate through the EXECUTIONS stream into `task_history`,
 * and the stats query at 100k and 1M rows, through the gateway (HTTP), through NATS to
 * the history app, and as the same SQL run directly on PostgreSQL (the floor).
 *
 * Runs the built gateway and history apps against a database of its own (created and
 * dropped) and a subject prefix of its own. Prints a table, then one JSON line:
 * `ingest_per_s` is the live case, `stats_p95_ms_1m` the stats request as the
 * orchestrator makes it (NATS to the history app) for one domain and action over 168 h,
 * `floor_p95_ms_1m` the same statements run directly on PostgreSQL.
 *
 * Knobs: BENCH_INGEST_RECORDS (default 50,000), BENCH_STATS_SAMPLES (default 200).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import {
  EXECUTIONS_STREAM,
  ExecutionRecord,
  executionRecordSubject,
  TaskStatsRequest,
} from '@jarvis/contracts';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  SubjectNamer,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { createTestDatabase, startSuite, TEST_NATS_URL } from '@jarvis/testing';
import { chooseOptimalParameterSet } from '../apps/history/src/task-history/optimal-parameters';
import { parameterSetHash } from '../apps/history/src/task-history/parameter-set';
import {
  ExecutionWindow,
  parametersOfSetStatement,
  windowAggregatesStatement,
} from '../apps/history/src/task-history/task-history.queries';

const INGEST_RECORDS = Number(process.env.BENCH_INGEST_RECORDS ?? 50_000);
const PUBLISH_WINDOW = 1000;
const STATS_SAMPLES = Number(process.env.BENCH_STATS_SAMPLES ?? 200);
const WARMUP = 20;
const WINDOW_HOURS = 168;
const SPREAD_DAYS = 30;
const DOMAINS = ['diagnostics', 'system-health', 'music-production', 'ai'];
const ACTIONS = ['ping', 'check', 'generate', 'render', 'complete'];
const PARAMETER_SETS = Array.from({ length: 10 }, (_, i) => ({
  tempo: 80 + i * 10,
  quality: i % 3 === 0 ? 'high' : 'standard',
  retries: i % 4,
}));
const PAIRS = DOMAINS.flatMap((domain) => ACTIONS.map((action) => ({ domain, action })));

interface Timing {
  p50: number;
  p95: number;
}

function timingOf(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function timed(samples: number, run: (i: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const durations: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run(i);
    durations.push(performance.now() - started);
  }
  return timingOf(durations);
}

function aRecord(i: number): ExecutionRecord {
  const pair = PAIRS[i % PAIRS.length];
  return {
    executionId: `ingest-${i}`,
    taskId: i % 2 === 0 ? `task-${i}` : null,
    domain: pair.domain,
    action: pair.action,
    phase: i % 2 === 0 ? 'task' : 'execute',
    success: i % 5 !== 0,
    error: i % 5 === 0 ? 'synthetic failure' : null,
    durationMs: 5 + (i % 400),
    impactScore: (i % 100) / 100,
    resourcesUsed: { cpuMs: i % 50 },
    parameters: PARAMETER_SETS[i % PARAMETER_SETS.length],
    logs: ['started', 'finished'],
    correlationId: `bench-${i}`,
    createdAt: new Date().toISOString(),
  };
}

async function countRows(pg: Client): Promise<number> {
  const { rows } = await pg.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM "history"."task_history"',
  );
  return rows[0].n;
}

/** Publishes `count` records from `first` with async acks, `PUBLISH_WINDOW` in flight. */
async function publishRecords(jetStream: JetStreamService, first: number, count: number) {
  for (let start = first; start < first + count; start += PUBLISH_WINDOW) {
    const window: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(start + PUBLISH_WINDOW, first + count); i++) {
      const record = aRecord(i);
      window.push(
        jetStream.publish(executionRecordSubject(record.domain), record, record.executionId),
      );
    }
    await Promise.all(window);
  }
}

/**
 * Waits until every record `first`..`first + count - 1` is stored: cheap probes of the
 * last ids (unique index) first, so that polling does not compete with the ingest, then
 * exact counts.
 */
async function waitForStored(pg: Client, first: number, count: number): Promise<void> {
  const lastIds = Array.from(
    { length: Math.min(100, count) },
    (_, i) => aRecord(first + count - 1 - i).executionId,
  );
  const ids = Array.from({ length: count }, (_, i) => aRecord(first + i).executionId);
  const stored = async (wanted: string[]) => {
    const { rows } = await pg.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM "history"."task_history" WHERE execution_id = ANY($1)',
      [wanted],
    );
    return rows[0].n === wanted.length;
  };
  while (!(await stored(lastIds))) await delay(20);
  while (!(await stored(ids))) await delay(20);
}

interface IngestFigures {
  live: { publishPerS: number; storedPerS: number };
  backlog: { storedPerS: number };
}

/**
 * Live: records published while history consumes, timed from the first publish to the
 * last row stored. Backlog: records published while history is stopped, then stored
 * once it is back (catching up after an outage).
 */
async function measureIngest(
  jetStream: JetStreamService,
  pg: Client,
  restartHistory: { stop: () => Promise<unknown>; start: () => Promise<void> },
): Promise<IngestFigures> {
  const started = performance.now();
  const publishing = publishRecords(jetStream, 0, INGEST_RECORDS).then(
    () => performance.now() - started,
  );
  await waitForStored(pg, 0, INGEST_RECORDS);
  const liveMs = performance.now() - started;
  const publishMs = await publishing;

  await restartHistory.stop();
  await publishRecords(jetStream, INGEST_RECORDS, INGEST_RECORDS);
  const before = await countRows(pg);
  await restartHistory.start();
  // Timed from the moment the restarted app is ready; what it stored while starting is
  // left out of both the count and the time.
  const ready = performance.now();
  const storedAtReady = (await countRows(pg)) - before;
  await waitForStored(pg, INGEST_RECORDS, INGEST_RECORDS);
  const backlogMs = performance.now() - ready;
  return {
    live: {
      publishPerS: Math.round(INGEST_RECORDS / (publishMs / 1000)),
      storedPerS: Math.round(INGEST_RECORDS / (liveMs / 1000)),
    },
    backlog: {
      storedPerS: Math.round((INGEST_RECORDS - storedAtReady) / (backlogMs / 1000)),
    },
  };
}

/** Fills the table up to `target` rows with INSERT … SELECT generate_series, then VACUUM ANALYZE. */
async function fillTo(pg: Client, target: number): Promise<number> {
  const current = await countRows(pg);
  const missing = target - current;
  const started = performance.now();
  if (missing > 0) {
    const parameters = PARAMETER_SETS.map((set) => JSON.stringify(set));
    const hashes = PARAMETER_SETS.map((set) => parameterSetHash(set));
    await pg.query(
      `INSERT INTO "history"."task_history" (
         execution_id, task_id, domain, action, phase, success, error, duration_ms,
         impact_score, resources_used, parameters, parameters_hash, logs, correlation_id, created_at
       )
       SELECT 'bulk-' || ($1::int + i), NULL,
              ($3::text[])[1 + i % 4], ($4::text[])[1 + (i / 4) % 5], 'execute',
              s.ok, CASE WHEN s.ok THEN NULL ELSE 'synthetic failure' END,
              (5 + random() * 400)::int, round(random()::numeric, 2)::float8,
              '{}'::jsonb, ($5::jsonb[])[1 + s.set], ($6::bigint[])[1 + s.set], '[]'::jsonb, NULL,
              now() - random() * make_interval(days => $7::int)
         FROM generate_series(1, $2::int) AS i
         CROSS JOIN LATERAL (
           SELECT (i / 20) % 10 AS set, random() < 0.5 + ((i / 20) % 10) * 0.04 AS ok
         ) AS s`,
      [current, missing, DOMAINS, ACTIONS, parameters, hashes, SPREAD_DAYS],
    );
    // One task in a hundred gets feedback a few minutes after it ran, a third of it negative.
    await pg.query(
      `INSERT INTO "history"."task_feedback" (task_id, domain, action, feedback, created_at)
       SELECT task_key, domain, action,
              (ARRAY['positive', 'negative', 'neutral'])[1 + abs(hashtext(execution_id)) / 100 % 3],
              created_at + interval '5 minutes'
         FROM "history"."task_history"
        WHERE execution_id LIKE 'bulk-%'
          AND substring(execution_id FROM 6)::int > $1
          AND abs(hashtext(execution_id)) % 100 = 0`,
      [current],
    );
  }
  await pg.query('VACUUM ANALYZE "history"."task_history"');
  await pg.query('VACUUM ANALYZE "history"."task_feedback"');
  return Math.round(performance.now() - started);
}

/** The same two statements the history app runs for one stats request. */
async function statsDirect(pg: Client, window: ExecutionWindow): Promise<void> {
  const aggregates = windowAggregatesStatement(window, 3);
  const { rows } = await pg.query<{
    candidates: {
      hash: string;
      support: number;
      effective_successes: number;
      avg_impact_score: number | null;
      last_used_at: string;
    }[];
  }>(aggregates.text, aggregates.values);
  const best = chooseOptimalParameterSet(
    rows[0].candidates.map((c) => ({
      hash: c.hash,
      support: c.support,
      effectiveSuccesses: c.effective_successes,
      avgImpactScore: c.avg_impact_score,
      lastUsedAt: c.last_used_at,
    })),
    3,
  );
  if (best) {
    const lookup = parametersOfSetStatement(window, best);
    await pg.query(lookup.text, lookup.values);
  }
}

async function windowRows(pg: Client, pair: { domain: string; action: string }) {
  const { rows } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "history"."task_history"
      WHERE domain = $1 AND action = $2 AND created_at >= now() - make_interval(hours => $3)`,
    [pair.domain, pair.action, WINDOW_HOURS],
  );
  return rows[0].n;
}

interface StatsRow {
  rows: string;
  query: string;
  windowRows: number;
  path: string;
  p50: number;
  p95: number;
}

async function measureStats(
  label: string,
  pg: Client,
  bus: MessageBus,
  gatewayUrl: string,
  apiKey: string,
): Promise<StatsRow[]> {
  const since = () => new Date(Date.now() - WINDOW_HOURS * 3_600_000);
  const pairAt = (i: number) => PAIRS[i % PAIRS.length];
  const typicalRows = await windowRows(pg, PAIRS[0]);
  const result: StatsRow[] = [];
  const add = (query: string, rows: number, path: string, timing: Timing) =>
    result.push({ rows: label, query, windowRows: rows, path, ...timing });

  add(
    'domain+action',
    typicalRows,
    'SQL (floor)',
    await timed(STATS_SAMPLES, (i) => statsDirect(pg, { since: since(), ...pairAt(i) })),
  );
  add(
    'domain+action',
    typicalRows,
    'NATS → history',
    await timed(STATS_SAMPLES, (i) => bus.request(TaskStatsRequest, { ...pairAt(i) })),
  );
  add(
    'domain+action',
    typicalRows,
    'HTTP → gateway',
    await timed(STATS_SAMPLES, async (i) => {
      const { domain, action } = pairAt(i);
      const response = await fetch(
        `${gatewayUrl}/api/v1/tasks/history?domain=${domain}&action=${action}`,
        { headers: { authorization: `Bearer ${apiKey}` } },
      );
      if (response.status !== 200) throw new Error(`gateway answered ${response.status}`);
      await response.json();
    }),
  );
  const { rows: all } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "history"."task_history"
      WHERE created_at >= now() - make_interval(hours => $1)`,
    [WINDOW_HOURS],
  );
  const fewer = Math.max(20, Math.round(STATS_SAMPLES / 4));
  add(
    'all domains',
    all[0].n,
    'SQL (floor)',
    await timed(fewer, () => statsDirect(pg, { since: since() })),
  );
  add(
    'all domains',
    all[0].n,
    'NATS → history',
    await timed(fewer, () => bus.request(TaskStatsRequest, {}, { timeoutMs: 30_000 })),
  );
  return result;
}

function printTable(headers: string[], rows: (string | number)[][]): void {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells: (string | number)[]) =>
    cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const suite = await startSuite(database.url, ['gateway', 'history'], { LOG_LEVEL: 'warn' });
  const namer = new SubjectNamer(suite.env.NATS_SUBJECT_PREFIX ?? '');
  const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'bench-history' });
  const pg = new Client({ connectionString: database.url });
  try {
    await connection.connect();
    await pg.connect();
    const jetStream = new JetStreamService(connection, namer);
    const bus = new MessageBus(connection, namer, 10_000, new MetricsService());

    const ingest = await measureIngest(jetStream, pg, {
      stop: () => suite.stopApp('history'),
      start: () => suite.startApp('history'),
    });
    console.log(
      `\nIngest through ${EXECUTIONS_STREAM.name} into task_history, ${INGEST_RECORDS} records each`,
    );
    printTable(
      ['case', 'published/s', 'stored/s'],
      [
        [
          'live (published while history consumes)',
          ingest.live.publishPerS,
          ingest.live.storedPerS,
        ],
        ['backlog (published while history was down)', '-', ingest.backlog.storedPerS],
      ],
    );

    // The stats are measured on synthetic rows spread over the past days, not on the
    // records just ingested (all of them now).
    await pg.query('TRUNCATE "history"."task_history", "history"."task_feedback"');
    const stats: StatsRow[] = [];
    const loads: (string | number)[][] = [];
    for (const [label, target] of [
      ['100k', 100_000],
      ['1M', 1_000_000],
    ] as const) {
      loads.push([label, await fillTo(pg, target)]);
      stats.push(...(await measureStats(label, pg, bus, suite.gatewayUrl, suite.adminApiKey)));
    }
    console.log('\nBulk load (INSERT … SELECT generate_series, then VACUUM ANALYZE)');
    printTable(['rows', 'ms'], loads);
    console.log(
      `\nStats query, ${WINDOW_HOURS} h window, rows spread over ${SPREAD_DAYS} days, ${PAIRS.length} domain/action pairs`,
    );
    printTable(
      ['rows', 'query', 'rows in window', 'path', 'p50 ms', 'p95 ms'],
      stats.map((s) => [s.rows, s.query, s.windowRows, s.path, s.p50, s.p95]),
    );

    const pick = (path: string) =>
      stats.find((s) => s.rows === '1M' && s.query === 'domain+action' && s.path === path)!;
    console.log(
      JSON.stringify({
        bench: 'history',
        ingest_per_s: ingest.live.storedPerS,
        stats_p95_ms_1m: pick('NATS → history').p95,
        floor_p95_ms_1m: pick('SQL (floor)').p95,
      }),
    );
  } finally {
    await pg.end().catch(() => undefined);
    // Stopping the suite also deletes its streams (those named with its prefix).
    await suite.stop();
    await connection.onApplicationShutdown();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
