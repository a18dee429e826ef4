import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppName } from '@jarvis/contracts';
import {
  AppSchemaSettings,
  buildDataSourceOptions,
  ensureDatabaseExists,
  runMigrations,
} from '@jarvis/database';
import { JarvisNatsServer } from '@jarvis/messaging';
import { httpCorrelationMiddleware } from '@jarvis/observability';
import { ConfigError, JarvisConfig, loadConfig } from './config/jarvis-config';
import { RuntimeModule } from './runtime.module';

export interface AppDefinition {
  name: AppName;
  /** The app's own schema, entities and migrations. */
  database: AppSchemaSettings;
  /** The app's feature modules. */
  features: (config: JarvisConfig) => DynamicModule['imports'];
  port: (config: JarvisConfig) => number;
  /** Extra HTTP set-up (pipes, OpenAPI) before the app listens. */
  configureHttp?: (app: INestApplication, config: JarvisConfig) => void;
  /**
   * Checks beyond the environment, before anything starts (files it names): throw a
   * `ConfigError` whose message is one line naming the variable.
   */
  checkConfig?: (config: JarvisConfig) => void;
}

@Module({})
class AppRootModule {}

/** The app's root module: the shared runtime, then its features. */
export function rootModuleOf(definition: AppDefinition, config: JarvisConfig): DynamicModule {
  return {
    module: AppRootModule,
    imports: [
      RuntimeModule.forApp({ app: definition.name, config, database: definition.database }),
      ...(definition.features(config) ?? []),
    ],
  };
}

/** Creates, wires and starts one app: HTTP on its port and NATS in its queue group. */
export async function startApp(
  definition: AppDefinition,
  config: JarvisConfig,
): Promise<INestApplication> {
  const app = await NestFactory.create(rootModuleOf(definition, config), { bufferLogs: true });
  app.use(httpCorrelationMiddleware());
  app.useLogger(app.get(Logger));
  definition.configureHttp?.(app, config);
  app.connectMicroservice(
    {
      strategy: new JarvisNatsServer({
        servers: config.nats.servers,
        queue: definition.name,
        name: `${definition.name}-server`,
        subjectPrefix: config.nats.subjectPrefix,
        shutdownTimeoutMs: config.shutdownTimeoutMs,
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(definition.port(config));
  return app;
}

/** Applies the app's pending migrations (creating the database if needed) and returns their names. */
export async function migrateApp(
  definition: AppDefinition,
  config: JarvisConfig,
): Promise<string[]> {
  await ensureDatabaseExists(config.databaseUrl);
  const dataSource = new DataSource(
    buildDataSourceOptions({
      ...definition.database,
      url: config.databaseUrl,
      applicationName: `jarvis-${definition.name}-migrate`,
      poolSize: 1,
    }),
  );
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource, definition.database.schema);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Entry point of an app process: `main.js` starts the app, `main.js migrate` only migrates.
 * A bad environment stops it with one line naming the variable.
 */
export function runApp(definition: AppDefinition): void {
  let config: JarvisConfig;
  try {
    config = loadConfig(process.env);
    definition.checkConfig?.(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exit(1);
  }
  if (process.argv[2] === 'migrate') {
    migrateApp(definition, config).then(
      (applied) => {
        const summary = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
        process.stdout.write(`${definition.name}: migrations ${summary}\n`);
      },
      (error: unknown) => fail(definition.name, 'migration failed', error),
    );
    return;
  }
  startApp(definition, config).then(
    (app) => stopOnSignal(app, config.shutdownTimeoutMs),
    (error: unknown) => fail(definition.name, 'failed to start', error),
  );
}

/**
 * On SIGTERM or SIGINT: stop taking work, let in-flight work finish, drain NATS,
 * close the pool, exit 0. A shutdown that hangs past its bound exits 1.
 */
function stopOnSignal(app: INestApplication, timeoutMs: number): void {
  let stopping = false;
  const stop = () => {
    // A second signal (Ctrl-C reaches the whole process group, then the launcher forwards it) changes nothing.
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), timeoutMs + 5_000).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function fail(app: string, what: string, error: unknown): never {
  process.stderr.write(`${app}: ${what}: ${describeError(error)}\n`);
  process.exit(1);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code ? `${error.message} (${String(code)})` : error.message;
  }
  return String(error);
}
