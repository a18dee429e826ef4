import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, readJson } from '@jarvis/testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const LAUNCHER = join(REPO_ROOT, 'dist', 'tools', 'launcher', 'main.js');

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

  // As root the embedded PostgreSQL runs as the `postgres` user, which must reach the binaries in node_modules.
  const embeddedCanRun =
    natsServerOnPath() && (process.getuid?.() !== 0 || traversableByOthers(REPO_ROOT));

  (embeddedCanRun ? it : it.skip)(
    'starts PostgreSQL and NATS where none answers, runs every app, and stops it all on SIGTERM',
    async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'jarvis-state-'));
      chmodSync(stateDir, 0o755);
      const [pgPort, natsPort, gateway, orchestrator, health, history] = await Promise.all(
        Array.from({ length: 6 }, () => freePort()),
      );
      const adminKey = 'launcher-test-admin-key';
      let output = '';
      const launcher: ChildProcess = spawn(process.execPath, [LAUNCHER], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/jarvis`,
          NATS_URL: `nats://127.0.0.1:${natsPort}`,
          GATEWAY_PORT: String(gateway),
          ORCHESTRATOR_PORT: String(orchestrator),
          HEALTH_PORT: String(health),
          HISTORY_PORT: String(history),
          JARVIS_ADMIN_API_KEY: adminKey,
          JARVIS_STATE_DIR: stateDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((done) =>
        launcher.once('exit', (code) => done(code)),
      );

      try {
        const deadline = Date.now() + 150_000;
        while (
          !output.includes('Jarvis is up') &&
          launcher.exitCode === null &&
          Date.now() < deadline
        ) {
          await delay(250);
        }
        expect(output).toContain('starting an embedded one');
        expect(output).toContain('starting nats-server with JetStream');
        expect(output).toContain(`Jarvis is up: http://localhost:${gateway}`);

        const suiteHealth = await fetch(`http://127.0.0.1:${gateway}/health`);
        expect(suiteHealth.status).toBe(200);
        const ping = await fetch(`http://127.0.0.1:${gateway}/api/v1/execute`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
          body: JSON.stringify({ module: 'diagnostics', action: 'ping' }),
        });
        expect((await readJson(ping)).data.result.output).toBe('pong');
      } finally {
        launcher.kill('SIGTERM');
        const code = await exited;
        rmSync(stateDir, { recursive: true, force: true });
        expect(code).toBe(0);
      }
      // Everything it started is gone with it.
      await expect(fetch(`http://127.0.0.1:${gateway}/health/live`)).rejects.toThrow();
      expect(await portAnswers(pgPort)).toBe(false);
      expect(await portAnswers(natsPort)).toBe(false);
    },
    200_000,
  );
});

function natsServerOnPath(): boolean {
  return spawnSync('nats-server', ['--version']).status === 0;
}

function traversableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) return false;
    if (dir === dirname(dir)) return true;
  }
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
