import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, JarvisConfig, loadConfig } from '@jarvis/runtime';
import { provisionNats } from './nats-provisioner';
import { DEFAULT_STATE_DIR } from './paths';
import { provisionPostgres } from './postgres-provisioner';
import { migrateApps, startApps } from './run-apps';
import { waitForHttp } from './wait-for-http';

const say = (line: string) => process.stdout.write(`[jarvis] ${line}\n`);

/**
 * `npm start`: validates the configuration, finds or starts PostgreSQL and NATS,
 * migrates, runs the four apps, and stops everything on Ctrl-C or SIGTERM.
 * `main.js migrate` only migrates.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // A signal before the apps run stops what was started so far; once they run,
  // concurrently forwards it to them and we stop NATS and PostgreSQL after they exit.
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const stops: (() => Promise<void>)[] = [];

  try {
    const stateDir = resolve(config.stateDir ?? DEFAULT_STATE_DIR);
    const postgres = await provisionPostgres(config.databaseUrl, stateDir, say);
    if (postgres.stop) stops.push(postgres.stop);
    if (interrupted) return;
    const nats = await provisionNats(config.nats.servers, stateDir, say);
    if (nats.stop) stops.push(nats.stop);
    if (interrupted) return;

    const adminApiKey = config.adminApiKey ?? `jv_admin_${randomBytes(24).toString('base64url')}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      JARVIS_ADMIN_API_KEY: adminApiKey,
    };
    await migrateApps(env);
    if (interrupted || process.argv[2] === 'migrate') return;

    const { result } = startApps(env);
    void announceWhenReady(config, adminApiKey, !config.adminApiKey);
    await result.catch(() => undefined);
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((error: Error) => say(`stop failed: ${error.message}`));
    }
  }
}

async function announceWhenReady(
  config: JarvisConfig,
  adminApiKey: string,
  generated: boolean,
): Promise<void> {
  const url = `http://localhost:${config.ports.gateway}`;
  if (!(await waitForHttp(`${url}/health/live`, 60_000))) {
    say(`the gateway did not answer on ${url} within 60 s`);
    return;
  }
  say(`Jarvis is up: ${url}  (API docs: ${url}/api/docs)`);
  say(
    `admin API key${generated ? ' (generated for this run; set JARVIS_ADMIN_API_KEY to keep one)' : ''}: ${adminApiKey}`,
  );
  say('Ctrl-C stops every app');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`[jarvis] ${message}\n`);
    process.exit(1);
  },
);
