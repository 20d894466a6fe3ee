import { Controller, Get, Module, Req, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import {
  OAuthJwtModule,
  RequireScopes,
  type OAuthJwtModuleOptions,
  type OAuthPrincipal,
} from '../../../src/oauth-jwt';
import { encodeSegment, signJws, type JsonObject } from '../../../src/oauth-jwt/testing';

/** What GET /me answers: who the module says is calling. */
export interface Caller {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

@Controller()
class CallerController {
  @Get('me')
  @RequireScopes('list:users')
  me(@Req() request: { user: OAuthPrincipal }): Caller {
    return { clientId: request.user.clientId, scopes: request.user.scopes };
  }
}

export interface IssuersApp {
  readonly app: INestApplication;
  readonly url: string;
  /** GET /me with `Authorization: Bearer <token>`. */
  get(token: string): request.Test;
  close(): Promise<void>;
}

/** A bare Nest app (Express) with OAuthJwtModule.forRoot(options) and GET /me, on 127.0.0.1:0. */
export async function startIssuersApp(options: OAuthJwtModuleOptions): Promise<IssuersApp> {
  @Module({ imports: [OAuthJwtModule.forRoot(options)], controllers: [CallerController] })
  class IssuersAppModule {}
  // Nest declares its options as a class, yet documents (and only accepts) plain objects.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  const app = await NestFactory.create(IssuersAppModule, { abortOnError: false });
  app.useLogger(['error']);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    get: (token) => request(url).get('/me').set('Authorization', `Bearer ${token}`),
    close: () => app.close(),
  };
}

/** An HS256 token keyed with `secret`, signed by the test kit: header `{ alg, typ: 'JWT' }`. */
export function hs256Token(payload: JsonObject, secret: string, header: JsonObject = {}): string {
  const alg = typeof header['alg'] === 'string' ? header['alg'] : 'HS256';
  return signJws({ alg: 'HS256', typ: 'JWT', ...header }, payload, {
    alg: alg === 'HS384' || alg === 'HS512' ? alg : 'HS256',
    secret,
  });
}

/** Standard claims for a token of `issuer` for `audience`, valid for 5 minutes. */
export function freshClaims(issuer: string, audience: string, extra: JsonObject = {}): JsonObject {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer, aud: audience, iat: now, exp: now + 300, jti: `jti-${now}`, ...extra };
}

export { encodeSegment };
