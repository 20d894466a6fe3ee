import express, { type Express } from 'express';
import { BENCH_BODY } from './app-spec';

/** Bare Express (the version @nestjs/platform-express uses): the baseline for Auth0's SDK. */
export function createBareExpressApp(): Express {
  const app = express();
  app.get('/public', (_request, response) => {
    response.json(BENCH_BODY);
  });
  app.get('/guarded', (_request, response) => {
    response.json(BENCH_BODY);
  });
  return app;
}
