import { ConfigError, loadConfig } from './jarvis-config';

describe(loadConfig.name, () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/jarvis');
    expect(config.nats.servers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.ports).toEqual({
      gateway: 4000,
      orchestrator: 4001,
      health: 4002,
      history: 4003,
    });
    expect(config.circuitBreaker).toEqual({
      enabled: true,
      failureThreshold: 5,
      resetTimeoutMs: 60_000,
    });
    expect(config.taskHistoryRetentionDays).toBe(90);
    expect(config.aiBudgets).toEqual({ daily: undefined, weekly: undefined, monthly: undefined });
    expect(config.log.level).toBe('info');
  });

  it('reads the values it is given', () => {
    const config = loadConfig({
      NATS_URL: 'nats://a:4222, nats://b:4223',
      GATEWAY_PORT: '8080',
      CIRCUIT_BREAKER_ENABLED: 'false',
      CIRCUIT_BREAKER_FAILURE_THRESHOLD: '3',
      DAILY_AI_BUDGET: '10.50',
      LOG_LEVEL: 'debug',
    });
    expect(config.nats.servers).toEqual(['nats://a:4222', 'nats://b:4223']);
    expect(config.ports.gateway).toBe(8080);
    expect(config.circuitBreaker.enabled).toBe(false);
    expect(config.circuitBreaker.failureThreshold).toBe(3);
    expect(config.aiBudgets.daily).toBe('10.50');
    expect(config.log.level).toBe('debug');
  });

  it.each([
    ['NATS_URL', 'nats://:x', /^Invalid configuration: NATS_URL must be/],
    [
      'DATABASE_URL',
      'mysql://localhost/db',
      /^Invalid configuration: DATABASE_URL must be a postgres/,
    ],
    [
      'GATEWAY_PORT',
      '70000',
      /^Invalid configuration: GATEWAY_PORT must be a whole number from 1 to 65535$/,
    ],
    [
      'CIRCUIT_BREAKER_ENABLED',
      'maybe',
      /^Invalid configuration: CIRCUIT_BREAKER_ENABLED must be true or false$/,
    ],
    [
      'CIRCUIT_BREAKER_FAILURE_THRESHOLD',
      '0',
      /CIRCUIT_BREAKER_FAILURE_THRESHOLD must be a whole number/,
    ],
    ['TASK_HISTORY_RETENTION_DAYS', '1.5', /TASK_HISTORY_RETENTION_DAYS must be a whole number/],
    ['DAILY_AI_BUDGET', '-3', /DAILY_AI_BUDGET must be a non-negative USD amount/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error/],
    ['JARVIS_ADMIN_API_KEY', 'short', /JARVIS_ADMIN_API_KEY must be at least 16 characters/],
  ])('rejects a bad %s with one line that names it', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('never repeats a rejected value, which may be a secret', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@host/db' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
