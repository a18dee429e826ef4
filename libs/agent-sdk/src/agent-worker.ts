import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { JsMsg, Subscription } from 'nats';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AgentHeartbeatReported,
  ClaimVerdict,
  JarvisError,
  ErrorCode,
  ReportVerdict,
  TASK_PRIORITIES,
  TaskCancelled,
  taskCancelledSchema,
  TaskClaim,
  TaskMessage,
  taskMessageSchema,
  TaskPriority,
  TaskReport,
} from '@jarvis/contracts';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  SubjectNamer,
} from '@jarvis/messaging';
import { actionOf, AgentDefinition, ProgressUpdate } from './agent-action';
import { ActionRun, StartedAction, startAction } from './action-runner';
import { BandFetcher } from './band-fetcher';
import { withCorrelationId } from './correlation-scope';
import { MicroBatcher } from './micro-batcher';
import { PriorityBands } from './priority-bands';
import { RecentRuns } from './recent-runs';
import { TaskLedger } from './task-ledger';
import { domainConsumerSpecs, ensureTaskStreams, TaskQueueSettings } from './task-queue-topology';

/** What a worker talks to. */
export interface AgentWorkerDeps {
  jetStream: JetStreamService;
  connection: NatsConnectionHolder;
  namer: SubjectNamer;
  bus: MessageBus;
  ledger: TaskLedger;
}

export interface AgentWorkerOptions {
  agent: AgentDefinition;
  /** Unique per worker, e.g. `host:pid`. */
  instance: string;
  /** Tasks run at the same time. */
  concurrency: number;
  /** Messages fetched ahead per priority (default: `concurrency`). */
  prefetch?: number;
  queue: TaskQueueSettings;
  /** A run longer than this is aborted and fails (it may be retried). */
  taskTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** How long `stop` lets running tasks finish before it aborts them. */
  shutdownGraceMs?: number;
  /** Called once per delivered message when the worker is done with it. */
  onSettled?: (event: SettledTask) => void;
}

export interface SettledTask {
  taskId: string;
  /** What this worker did with the delivery. */
  handling: 'completed' | 'failed' | 'retry' | 'cancelled' | 'skipped' | 'released';
}

interface Running {
  action: StartedAction;
  dispatch: number;
  streamSeq: number;
  attempt: number;
  /** False while a first delivery's run has not been claimed: its report records the start. */
  claimed: boolean;
  /** The claim of an unclaimed run that runs long, while it is under way. */
  claiming?: Promise<void>;
  startedAtMs: number;
}

type Settle = () => Promise<void>;

/** A fetched message, its task and its claim, which starts as soon as it arrives. */
interface Delivery {
  message: JsMsg;
  task: TaskMessage;
  /** None for the first delivery of a first attempt: it runs at once, recorded when it reports. */
  claim: Promise<ClaimVerdict> | undefined;
}

const CLAIM_RETRY_DELAY_MS = 1000;
const REPORT_RETRY_DELAYS_MS = [200, 500, 1000, 2000, 5000];
const PROGRESS_MIN_INTERVAL_MS = 500;
const CANCEL_MEMORY_MS = 10 * 60_000;
/** Dispatches whose runs this worker remembers at least, so that a copy delivered later is skipped. */
const RECENT_RUNS_KEPT = 10_000;
/** An unclaimed run still going after this long is claimed, so that it shows as running. */
const CLAIM_LONG_RUNS_AFTER_MS = 250;
/** How often runs are checked for their timeout and for a claim (a run may overrun by this). */
const RUN_CHECK_INTERVAL_MS = 100;
/**
 * Reports and acks that may wait per run slot: they wait on the ledger's group commit, and
 * more of them in flight keep the commits full without holding slots. Room for several
 * fetches' worth lets the next commit fill while one is written; with room for only one,
 * runs stopped at every commit and the worker sat idle an eighth of the time or more.
 */
const SETTLING_PER_SLOT = 16;
const decoder = new TextDecoder();

/**
 * An agent worker: consumes its domain's tasks from the work queue, high before normal
 * before low, runs each, reports the outcome to the orchestrator's ledger, then acks. The
 * first delivery of a first attempt runs at once; a redelivery, a later attempt or a run
 * that goes on is claimed from the ledger first. It keeps deliveries alive while they
 * wait or run (`working()`), honours cancellation, and heartbeats so that the
 * orchestrator lists it.
 */
export class AgentWorker {
  private readonly logger: Logger;
  private readonly bands = new PriorityBands<Delivery>();
  private readonly fetchers: BandFetcher[] = [];
  /** Every message this worker holds: fetched ahead, claiming, running or reporting. */
  private readonly held = new Set<JsMsg>();
  private readonly running = new Map<string, Running>();
  /** Reports and acks under way, after their runs freed their slots. */
  private readonly settling = new Set<Promise<void>>();
  private readonly recentlyCancelled = new Map<string, number>();
  /** The dispatch of each task this worker ran lately. */
  private readonly recentRuns = new RecentRuns(RECENT_RUNS_KEPT);
  private readonly claims: MicroBatcher<TaskClaim, ClaimVerdict>;
  private readonly reports: MicroBatcher<TaskReport, ReportVerdict>;
  private readonly lastProgressAt = new Map<string, number>();
  private readonly prefetch: number;
  private readonly startedAt = new Date().toISOString();
  private active = 0;
  private accepting = false;
  private cancelSubscription: Subscription | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private runChecks: NodeJS.Timeout | undefined;
  private idle: (() => void) | undefined;

  constructor(
    private readonly deps: AgentWorkerDeps,
    private readonly options: AgentWorkerOptions,
  ) {
    this.logger = new Logger(`AgentWorker:${options.agent.name}`);
    this.prefetch = options.prefetch ?? options.concurrency;
    const agent = options.instance;
    this.claims = new MicroBatcher({
      maxBatch: 500,
      maxConcurrentFlushes: 4,
      flush: async (claims) => {
        const reply = await deps.ledger.claim({ agent, claims });
        return alignVerdicts(claims, reply.verdicts);
      },
    });
    this.reports = new MicroBatcher({
      maxBatch: 500,
      maxConcurrentFlushes: 4,
      flush: async (reports) => {
        const reply = await deps.ledger.report({ agent, reports });
        return alignVerdicts(reports, reply.verdicts);
      },
    });
  }

  get domain(): string {
    return this.options.agent.name;
  }

  get tasksInFlight(): number {
    return this.active;
  }

  async start(): Promise<void> {
    const { jetStream, connection, namer } = this.deps;
    await ensureTaskStreams(jetStream);
    for (const spec of domainConsumerSpecs(this.domain, this.options.queue)) {
      await jetStream.ensureDurable(spec);
    }
    this.cancelSubscription = connection.nc.subscribe(namer.subject(TaskCancelled.subject), {
      callback: (error, message) => {
        if (!error) this.onCancelled(message.data);
      },
    });
    this.accepting = true;
    const specs = domainConsumerSpecs(this.domain, this.options.queue);
    TASK_PRIORITIES.forEach((priority, index) => {
      const fetcher = new BandFetcher(
        jetStream,
        priority,
        specs[index].durable,
        () => this.prefetch - this.bands.sizeOf(priority),
        (band, message) => this.onDelivered(band, message),
      );
      this.fetchers.push(fetcher);
      fetcher.start();
    });
    const keepAliveMs = Math.max(100, Math.floor(this.options.queue.ackWaitMs / 3));
    this.keepAlive = setInterval(() => this.keepDeliveriesAlive(), keepAliveMs);
    this.runChecks = setInterval(() => this.checkRuns(), RUN_CHECK_INTERVAL_MS);
    this.sendHeartbeat('running');
    this.heartbeat = setInterval(
      () => this.sendHeartbeat('running'),
      this.options.heartbeatIntervalMs,
    );
    this.logger.log(
      { instance: this.options.instance, concurrency: this.options.concurrency },
      'Agent worker started',
    );
  }

  /**
   * Stops taking tasks, hands back those fetched ahead, lets running ones finish within
   * the grace period, then aborts the rest and hands them back too.
   */
  async stop(): Promise<void> {
    if (!this.accepting) return;
    this.accepting = false;
    await Promise.all(this.fetchers.map((fetcher) => fetcher.stop()));
    for (const { message } of this.bands.takeAll()) this.release(message);
    const grace = this.options.shutdownGraceMs ?? 10_000;
    if (this.active > 0 || this.settling.size > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        delay(grace, undefined, { ref: false }),
      ]);
    }
    for (const run of this.running.values()) run.action.abort('shutdown');
    while (this.active > 0 || this.settling.size > 0) await delay(20);
    await Promise.all([this.claims.drain(), this.reports.drain()]);
    clearInterval(this.keepAlive);
    clearInterval(this.runChecks);
    clearInterval(this.heartbeat);
    this.cancelSubscription?.unsubscribe();
    this.sendHeartbeat('stopping');
    this.logger.log('Agent worker stopped');
  }

  /**
   * Parses and claims a delivery as it arrives (claims travel in batches), then queues it
   * in its priority band until a slot is free.
   */
  private onDelivered(priority: TaskPriority, message: JsMsg): void {
    this.held.add(message);
    if (!this.accepting) {
      this.release(message);
      return;
    }
    let task: TaskMessage;
    try {
      task = taskMessageSchema.parse(JSON.parse(decoder.decode(message.data)));
    } catch (error) {
      this.logger.error(
        { err: error, subject: message.subject },
        'Dropping a task message that is not valid',
      );
      message.term();
      this.held.delete(message);
      return;
    }
    let claim: Promise<ClaimVerdict> | undefined;
    if (message.redelivered || task.attempt !== 1) {
      claim = this.claims.add({
        taskId: task.taskId,
        dispatch: task.dispatch,
        streamSeq: message.seq,
      });
      claim.catch(() => undefined);
    }
    this.bands.push(priority, { message, task, claim });
    this.pump();
  }

  /**
   * Starts as many fetched tasks as there are free slots, by priority. A slot is taken for
   * the claim and the run; the report and the ack follow without holding it (at most
   * `SETTLING_PER_SLOT` per slot wait at a time), so slots do not wait on the ledger's commits.
   */
  private pump(): void {
    while (
      this.accepting &&
      this.active < this.options.concurrency &&
      this.settling.size < SETTLING_PER_SLOT * this.options.concurrency
    ) {
      const next = this.bands.next();
      if (!next) return;
      this.fetchers.find((fetcher) => fetcher.priority === next.priority)?.notify();
      this.active += 1;
      const { message } = next.item;
      void this.handle(next.item).then((settle) => {
        this.active -= 1;
        if (settle) {
          const settling: Promise<void> = settle().finally(() => {
            this.settling.delete(settling);
            this.held.delete(message);
            this.afterProgress();
          });
          this.settling.add(settling);
        } else {
          this.held.delete(message);
        }
        this.afterProgress();
      });
    }
  }

  private afterProgress(): void {
    if (this.active === 0 && this.settling.size === 0) this.idle?.();
    this.pump();
  }

  /** Runs a claimed delivery; answers how to settle it, if anything is left to do. */
  private async handle(delivery: Delivery): Promise<Settle | undefined> {
    const { message, task } = delivery;
    try {
      const settle = await withCorrelationId(task.correlationId, () => this.claimAndRun(delivery));
      return settle && (() => withCorrelationId(task.correlationId, settle));
    } catch (error) {
      this.logger.error({ err: error, taskId: task.taskId }, 'Handling a task failed; handed back');
      message.nak(CLAIM_RETRY_DELAY_MS);
      return undefined;
    }
  }

  private async claimAndRun({ message, task, claim }: Delivery): Promise<Settle | undefined> {
    let verdict: ClaimVerdict = { taskId: task.taskId, verdict: 'run', attempt: 1 };
    try {
      if (claim) verdict = await claim;
    } catch (error) {
      this.logger.warn({ err: error, taskId: task.taskId }, 'Claim not answered; task handed back');
      message.nak(CLAIM_RETRY_DELAY_MS);
      this.settled(task.taskId, 'released');
      return undefined;
    }
    // An unclaimed copy of a dispatch this worker runs or ran is skipped like a stale one.
    const copy = !claim && this.recentRuns.dispatchOf(task.taskId) === task.dispatch;
    if (verdict.verdict !== 'run' || copy) {
      message.ack();
      this.settled(task.taskId, 'skipped');
      return undefined;
    }
    this.recentRuns.remember(task.taskId, task.dispatch);
    const executionId = randomUUID();
    const startedAt = new Date().toISOString();
    const handler = actionOf(this.options.agent, task.action);
    let running: Running | undefined;
    let run: ActionRun;
    if (!handler) {
      run = unknownAction(this.domain, task.action);
    } else if (this.recentlyCancelled.has(task.taskId)) {
      run = { outcome: 'cancelled', reason: 'cancelled', durationMs: 0 };
    } else {
      running = {
        action: startAction(handler, task.params, {
          timeoutMs: this.options.taskTimeoutMs,
          timer: false,
          onProgress: (progress) => this.onProgress(message, task.taskId, progress),
        }),
        dispatch: task.dispatch,
        streamSeq: message.seq,
        attempt: verdict.attempt,
        claimed: claim !== undefined,
        startedAtMs: Date.now(),
      };
      this.running.set(task.taskId, running);
      try {
        run = await running.action.done;
        if (running.claiming) await running.claiming;
      } finally {
        this.running.delete(task.taskId);
        this.lastProgressAt.delete(task.taskId);
      }
    }
    if (run.outcome === 'cancelled' && run.reason === 'shutdown') {
      message.nak();
      this.settled(task.taskId, 'released');
      return undefined;
    }
    const claimed = running?.claimed ?? claim !== undefined;
    const report: TaskReport = {
      taskId: task.taskId,
      dispatch: task.dispatch,
      attempt: running?.attempt ?? verdict.attempt,
      executionId,
      startedAt,
      durationMs: run.durationMs,
      ...reportOf(run),
      ...(claimed ? {} : { claimed, streamSeq: message.seq }),
    };
    return () => this.settle(message, report, run);
  }

  /**
   * Times out the runs that went on too long, and claims the unclaimed ones that have gone
   * on for a while, so that they show as running and their progress is kept. A run whose
   * claim is refused (cancelled meanwhile) is stopped.
   */
  private checkRuns(): void {
    const due = Date.now() - CLAIM_LONG_RUNS_AFTER_MS;
    for (const [taskId, running] of this.running) {
      if (running.action.timeOutIfOverdue()) continue;
      if (running.claimed || running.claiming || running.startedAtMs > due) continue;
      const claim = { taskId, dispatch: running.dispatch, streamSeq: running.streamSeq };
      running.claiming = this.claims.add(claim).then(
        (verdict) => {
          running.claiming = undefined;
          if (verdict.verdict !== 'run') {
            running.action.abort('cancelled');
            return;
          }
          running.claimed = true;
          running.attempt = verdict.attempt;
        },
        (error: unknown) => {
          // Still unclaimed: the next check tries again, or the report records the run.
          running.claiming = undefined;
          this.logger.warn({ err: error, taskId }, 'Claiming a long run failed');
        },
      );
    }
  }

  /** Reports how the run ended, then acks, naks or leaves the message as the ledger says. */
  private async settle(message: JsMsg, report: TaskReport, run: ActionRun): Promise<void> {
    const reply = await this.deliverReport(report);
    if (!reply) {
      message.nak();
      this.settled(report.taskId, 'released');
      return;
    }
    switch (reply.verdict) {
      case 'ack':
        message.ack();
        this.settled(report.taskId, handlingOf(run));
        return;
      case 'retry':
        message.nak(reply.delayMs);
        this.settled(report.taskId, 'retry');
        return;
      case 'stale':
        this.settled(report.taskId, 'released');
        return;
    }
  }

  /** Reports until the ledger answers; undefined if the worker stopped first. */
  private async deliverReport(report: TaskReport): Promise<ReportVerdict | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.reports.add(report);
      } catch (error) {
        if (!this.accepting && attempt >= REPORT_RETRY_DELAYS_MS.length) return undefined;
        const wait = REPORT_RETRY_DELAYS_MS[Math.min(attempt, REPORT_RETRY_DELAYS_MS.length - 1)];
        this.logger.warn(
          { err: error, taskId: report.taskId, attempt: attempt + 1 },
          'Report not answered; retrying',
        );
        await delay(wait);
      }
    }
  }

  private onProgress(message: JsMsg, taskId: string, progress: ProgressUpdate) {
    message.working();
    // An unclaimed run's progress is kept once it is claimed.
    const running = this.running.get(taskId);
    if (!running?.claimed) return;
    const now = Date.now();
    if (now - (this.lastProgressAt.get(taskId) ?? 0) < PROGRESS_MIN_INTERVAL_MS) return;
    this.lastProgressAt.set(taskId, now);
    this.deps.ledger.progress({
      taskId,
      attempt: running.attempt,
      percent: progress.percent,
      message: progress.message?.slice(0, 500),
    });
  }

  private onCancelled(data: Uint8Array): void {
    let taskId: string;
    try {
      const packet = JSON.parse(decoder.decode(data)) as { data?: unknown };
      taskId = taskCancelledSchema.parse(packet.data).taskId;
    } catch {
      return;
    }
    const now = Date.now();
    this.recentlyCancelled.set(taskId, now + CANCEL_MEMORY_MS);
    if (this.recentlyCancelled.size > 10_000) {
      for (const [id, until] of this.recentlyCancelled)
        if (until < now) this.recentlyCancelled.delete(id);
    }
    const running = this.running.get(taskId);
    if (running) {
      this.logger.log({ taskId }, 'Cancelling a running task');
      running.action.abort('cancelled');
    }
  }

  /** Resets the ack wait of every held delivery, so none is handed to another worker. */
  private keepDeliveriesAlive(): void {
    for (const message of this.held) message.working();
  }

  private release(message: JsMsg): void {
    message.nak();
    this.held.delete(message);
  }

  private settled(taskId: string, handling: SettledTask['handling']): void {
    this.options.onSettled?.({ taskId, handling });
  }

  private sendHeartbeat(state: 'running' | 'stopping'): void {
    try {
      this.deps.bus.emit(AgentHeartbeatReported, {
        domain: this.domain,
        instance: this.options.instance,
        actions: Object.keys(this.options.agent.actions),
        concurrency: this.options.concurrency,
        tasksInFlight: this.active,
        startedAt: this.startedAt,
        state,
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'Heartbeat not sent');
    }
  }
}

/** The ledger answers one verdict per item, in order (two copies of a task may share a batch). */
function alignVerdicts<T extends { taskId: string }, V extends { taskId: string }>(
  items: T[],
  verdicts: V[],
): V[] {
  if (verdicts.length !== items.length || verdicts.some((v, i) => v.taskId !== items[i].taskId)) {
    throw new Error(
      `The ledger answered ${verdicts.length} verdicts out of order for ${items.length} items`,
    );
  }
  return verdicts;
}

function unknownAction(domain: string, action: string): ActionRun {
  const error = new JarvisError(ErrorCode.NotFound, `Agent "${domain}" has no action "${action}"`);
  return {
    outcome: 'failed',
    error,
    message: error.message,
    retryable: false,
    timedOut: false,
    durationMs: 0,
  };
}

function reportOf(
  run: ActionRun,
): Pick<
  TaskReport,
  'outcome' | 'output' | 'impactScore' | 'resourcesUsed' | 'error' | 'retryable'
> {
  switch (run.outcome) {
    case 'succeeded':
      return {
        outcome: 'succeeded',
        output: run.value.output,
        impactScore: isImpactScore(run.value.impactScore) ? run.value.impactScore : undefined,
        resourcesUsed: run.value.resourcesUsed,
        retryable: false,
      };
    case 'failed':
      return { outcome: 'failed', error: run.message.slice(0, 10_000), retryable: run.retryable };
    case 'cancelled':
      return { outcome: 'cancelled', error: 'Cancelled by request', retryable: false };
  }
}

function handlingOf(run: ActionRun): SettledTask['handling'] {
  switch (run.outcome) {
    case 'succeeded':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

function isImpactScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
