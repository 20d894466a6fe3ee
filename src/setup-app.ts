import { ValidationPipe, type INestApplication } from '@nestjs/common';

/** App-wide settings shared by main.ts and the e2e tests, so tests run the app as it ships. */
export function setupApp<T extends INestApplication>(app: T): T {
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.enableShutdownHooks();
  return app;
}
