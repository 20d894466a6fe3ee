import express, { type Express } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import { BENCH_BODY, type AppSpec } from './app-spec';

/** Express with Auth0's SDK: `auth({ issuer, jwksUri, audience })` + `requiredScopes` on /guarded. */
export function createAuth0SdkExpressApp(spec: AppSpec): Express {
  const app = express();
  app.get('/public', (_request, response) => {
    response.json(BENCH_BODY);
  });
  app.get(
    '/guarded',
    auth({
      issuer: spec.issuer,
      jwksUri: spec.jwksUri,
      audience: spec.audience,
      tokenSigningAlg: 'RS256',
    }),
    requiredScopes(spec.scope),
    (_request, response) => {
      response.json(BENCH_BODY);
    },
  );
  return app;
}
