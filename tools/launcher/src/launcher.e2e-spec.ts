import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const LAUNCHER = resolve(__dirname, '..', '..', '..', 'dist', 'tools', 'launcher', 'main.js');

describe('npm start', () => {
  it.each([
    ['NATS_URL', 'nats://:x'],
    ['DATABASE_URL', 'not a url'],
    ['GATEWAY_PORT', 'eighty'],
  ])('stops at once with one line naming a bad %s', (variable, value) => {
    const run = spawnSync(process.execPath, [LAUNCHER], {
      env: { PATH: process.env.PATH, [variable]: value },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`Invalid configuration: ${variable} `);
  });
});
