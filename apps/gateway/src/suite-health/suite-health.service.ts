import { Injectable } from '@nestjs/common';
import { APP_NAMES, AppName, ReadinessQuery, ReadinessReport } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { ReadinessService } from '@jarvis/runtime';

export interface SuiteHealth {
  status: 'up' | 'down';
  apps: Record<AppName, ReadinessReport | { app: AppName; status: 'down'; reason: string }>;
}

/** Longer than an app's own checks (1 s), so a slow database shows as `down` in its report, not as silence. */
const GATHER_WAIT_MS = 2500;

/** The gateway's own readiness and every other app's, asked over NATS. */
@Injectable()
export class SuiteHealthService {
  constructor(
    private readonly bus: MessageBus,
    private readonly readiness: ReadinessService,
  ) {}

  async check(): Promise<SuiteHealth> {
    const others = APP_NAMES.filter((app) => app !== 'gateway');
    const [own, replies] = await Promise.all([
      this.readiness.report(),
      // Gateways answer too (one of them may be us): wait for one reply per app.
      this.bus
        .gather(ReadinessQuery, {}, APP_NAMES.length, GATHER_WAIT_MS)
        .then(({ replies }) => replies)
        .catch(() => []),
    ]);
    const byApp = new Map(replies.map((report) => [report.app, report]));
    const apps = { gateway: own } as SuiteHealth['apps'];
    for (const app of others) {
      apps[app] = byApp.get(app) ?? {
        app,
        status: 'down',
        reason: `no answer within ${GATHER_WAIT_MS} ms`,
      };
    }
    const status = Object.values(apps).every((report) => report.status === 'up') ? 'up' : 'down';
    return { status, apps };
  }
}
