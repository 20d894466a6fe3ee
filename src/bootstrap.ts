import {
  ConflictException,
  Logger,
  type INestApplication,
  type LoggerService,
  type LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as JsonLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app-config';
import { loadScaleConfig } from './config/scale-config';
import { startupMode } from './config/startup-mode';
import {
  DEMO_BANNER,
  demoApiOrigins,
  demoInstructions,
  startDemo,
  type Demo,
} from './dev-issuer/demo';
import { setupDocs } from './docs/setup-docs';
import { createHttpAdapter, httpAdapterName } from './http-adapter';
import { setupApp } from './setup-app';
import { CreateUserDto } from './users/create-user.dto';
import { UsersService } from './users/users.service';

export interface BootstrapOptions {
  /** Where the demo's banner and instructions go. @default process.stdout */
  print?: (text: string) => void;
  /** Nest's logger. @default Nest's console logger */
  logger?: LoggerService | LogLevel[] | false;
}

/** The sample API, listening. */
export interface RunningApp {
  readonly app: INestApplication;
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  /** The embedded authorization server, in demo mode. */
  readonly demo: Demo | undefined;
  /** Closes the API, then the demo's authorization server. */
  close(): Promise<void>;
}

/**
 * Starts the sample partner users API from `env` (see startupMode and loadAppConfig). With
 * OAUTH_ISSUER unset (and no other OAUTH_* nor PARTNERS_FILE) it runs the demo: it first starts the
 * embedded development authorization server, lets it answer token requests from this API's Swagger
 * UI, and prints how to get a token. Nothing here waits for a configured issuer: the API starts
 * while it is down (the OpenAPI document gets its token URL once it is up).
 */
export async function bootstrap(
  env: NodeJS.ProcessEnv,
  options: BootstrapOptions = {},
): Promise<RunningApp> {
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  const mode = startupMode(env);
  // Quotas, REDIS_URL, LOG_LEVEL; `logger: false` also silences the JSON request log.
  const { logging, ...scale } = loadScaleConfig(env);
  const jsonLogs = options.logger === false ? undefined : logging;
  if (mode === 'demo') print(DEMO_BANNER);
  const demo = mode === 'demo' ? await startDemo(env) : undefined;
  let app: INestApplication | undefined;
  try {
    const config = demo ? demo.config : loadAppConfig(env);
    const adapter = createHttpAdapter(httpAdapterName(env));
    const scaled = { ...scale, ...(jsonLogs ? { logging: jsonLogs } : {}) };
    const jsonLogger = jsonLogs !== undefined && options.logger === undefined;
    app = setupApp(
      // abortOnError false: a failed start rejects (main logs it) instead of aborting the process.
      // Nest declares its options as a class, yet documents (and only accepts) plain objects.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      await NestFactory.create(AppModule.register(config, scaled), adapter, {
        abortOnError: false,
        logger: options.logger,
        bufferLogs: jsonLogger,
      }),
    );
    // Nest's Logger (the library's logs included) writes the same JSON lines, unless one was given.
    if (jsonLogger) app.useLogger(app.get(JsonLogger));
    // Swagger UI at /docs, the document at /docs-json (public; the token URL is discovered if not given).
    await setupDocs(app, demo ? { tokenUrl: demo.issuer.tokenEndpoint } : {});
    // Runs the start-up hooks now (database migrated, partners seeded) for the demo's users.
    await app.init();
    if (demo) await seedDemoUsers(app.get(UsersService));
    await app.listen(config.port, config.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    // Swagger UI's Authorize posts to the demo issuer from this API's origin (CORS).
    if (demo) await demo.issuer.allowCorsOrigins(demoApiOrigins(config.host, portOf(url)));
    Logger.log(`Partner users API listening on ${url}`, 'Bootstrap');
    Logger.log(`API documentation at ${url}/docs`, 'Bootstrap');
    if (demo) print(demoInstructions(demo, url));
    const running = app;
    return {
      app: running,
      url,
      demo,
      close: async () => {
        await running.close();
        await demo?.issuer.stop();
      },
    };
  } catch (error) {
    await app?.close();
    await demo?.issuer.stop();
    throw error;
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** The demo's users, once per database: a restart finds them there already (409, skipped). */
async function seedDemoUsers(users: UsersService): Promise<void> {
  const seed: [string, string, string][] = [
    ['partner-a', 'Grace Hopper', 'grace@acme.example'],
    ['partner-a', 'Alan Turing', 'alan@acme.example'],
    ['partner-b', 'Edsger Dijkstra', 'edsger@globex.example'],
  ];
  for (const [partnerId, name, email] of seed) {
    try {
      await users.create(partnerId, Object.assign(new CreateUserDto(), { name, email }));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
