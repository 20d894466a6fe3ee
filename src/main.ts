import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadAppConfig, type AppConfig } from './config/app-config';
import { demoInstructions, startDemo } from './dev-issuer/demo';
import { setupDocs } from './docs/setup-docs';
import { createHttpAdapter, httpAdapterName } from './http-adapter';
import { setupApp } from './setup-app';
import { CreateUserDto } from './users/create-user.dto';
import { UsersService } from './users/users.service';

/**
 * Starts the sample partner users API. With OAUTH_ISSUER unset, it first starts the embedded
 * development authorization server and prints the curl lines to try it.
 */
async function bootstrap(): Promise<void> {
  const demo = process.env['OAUTH_ISSUER'] ? undefined : await startDemo(process.env);
  const config: AppConfig = demo ? demo.config : loadAppConfig(process.env);
  try {
    const adapter = createHttpAdapter(httpAdapterName(process.env));
    const app = setupApp(await NestFactory.create(AppModule.register(config), adapter));
    // The embedded issuer is a child process that exits with us (it watches its stdin).
    if (demo) seedDemoUsers(app.get(UsersService));
    // Swagger UI at /docs, the document at /docs-json (public; the token URL is discovered if not given).
    await setupDocs(app, demo ? { tokenUrl: demo.issuer.tokenEndpoint } : {});
    await app.listen(config.port, config.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    Logger.log(`Partner users API listening on ${url}`, 'Bootstrap');
    Logger.log(`API documentation at ${url}/docs`, 'Bootstrap');
    if (demo) process.stdout.write(demoInstructions(demo, url));
  } catch (error) {
    await demo?.issuer.stop();
    throw error;
  }
}

function seedDemoUsers(users: UsersService): void {
  const seed: [string, string, string][] = [
    ['partner-a', 'Grace Hopper', 'grace@acme.example'],
    ['partner-a', 'Alan Turing', 'alan@acme.example'],
    ['partner-b', 'Edsger Dijkstra', 'edsger@globex.example'],
  ];
  for (const [partnerId, name, email] of seed) {
    users.create(partnerId, Object.assign(new CreateUserDto(), { name, email }));
  }
}

bootstrap().catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
  process.exitCode = 1;
});
