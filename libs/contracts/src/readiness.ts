import { AppName } from './apps';
import { defineRequest } from './request-contract';

export type ReadinessStatus = 'up' | 'down';

export interface ReadinessReport {
  app: AppName;
  instance: string;
  status: ReadinessStatus;
  checks: Record<string, ReadinessStatus>;
  uptimeSeconds: number;
}

/**
 * Every app answers this subject in its own queue group, so one request
 * gathers one report from each running app.
 */
export const ReadinessQuery = defineRequest<Record<string, never>, ReadinessReport>(
  'system.readiness.v1',
);
