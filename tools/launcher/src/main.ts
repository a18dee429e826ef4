import { randomBytes } from 'node:crypto';
import { ConfigError, JarvisConfig, loadConfig } from '@jarvis/runtime';
import { provisionNats } from './nats-provisioner';
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
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: Error) => say(`stop failed: ${error.message}`));
  };

  try {
    const postgres = await provisionPostgres(config.databaseUrl, !process.env.DATABASE_URL, say);
    if (postgres.stop) stops.push(postgres.stop);
    const nats = await provisionNats(config.nats.servers, !process.env.NATS_URL, say);
    if (nats.stop) stops.push(nats.stop);

    const adminApiKey = config.adminApiKey ?? `jv_admin_${randomBytes(24).toString('base64url')}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      JARVIS_ADMIN_API_KEY: adminApiKey,
    };
    await migrateApps(env);
    if (process.argv[2] === 'migrate') return await stopAll();

    const { result } = startApps(env);
    void announceWhenReady(config, adminApiKey, !config.adminApiKey);
    await result.catch(() => undefined);
  } finally {
    await stopAll();
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
