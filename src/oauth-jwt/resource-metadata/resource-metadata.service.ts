import {
  Inject,
  Injectable,
  type HttpServer,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { collectRouteSecurity } from '../openapi/route-security';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import { buildResourceMetadata, type ProtectedResourceMetadata } from './build-resource-metadata';

/** The metadata changes only when the app is deployed again; clients may keep it an hour. */
export const RESOURCE_METADATA_CACHE_CONTROL = 'public, max-age=3600';

/**
 * With `resourceMetadata`, serves RFC 9728 protected resource metadata at its well-known path.
 * The route is registered on the HTTP adapter (Express and Fastify alike), outside Nest's router:
 * no guard sees it (it is public and reads no token), no OpenAPI document lists it, and the app
 * declares no controller for it.
 */
@Injectable()
export class ResourceMetadataService implements OnModuleInit, OnApplicationBootstrap {
  private built: ProtectedResourceMetadata | undefined;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Registers the route: after Nest's own routes, before Fastify is ready and Express's 404. */
  onModuleInit(): void {
    const settings = this.options.resourceMetadata;
    // An application context (no HTTP server) has nothing to serve.
    const adapter = this.adapterHost.httpAdapter as HttpServer | undefined;
    if (!settings || !adapter) return;
    adapter.get(settings.path, (_request: unknown, response: unknown) => {
      adapter.setHeader(response, 'Cache-Control', RESOURCE_METADATA_CACHE_CONTROL);
      adapter.reply(response, this.document(), 200);
    });
  }

  /** Reads the routes once every module has initialised (and global guards are bound). */
  onApplicationBootstrap(): void {
    if (this.options.resourceMetadata) this.document();
  }

  /** The metadata document (undefined without `resourceMetadata`). */
  document(): ProtectedResourceMetadata | undefined {
    const settings = this.options.resourceMetadata;
    if (!settings) return undefined;
    this.built ??= buildResourceMetadata(
      settings,
      this.options.issuers.map(({ issuer }) => issuer),
      collectRouteSecurity(this.moduleRef),
    );
    return this.built;
  }
}
