import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import type { VersionValue } from '@nestjs/common/interfaces';
import {
  GUARDS_METADATA,
  METHOD_METADATA,
  MODULE_PATH,
  PATH_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants';
import { ApplicationConfig, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
// Not in the barrel; the same factory the router and @nestjs/swagger build route paths with.
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory';
import type { ClaimRequirement } from '../decorators/require-claim.decorator';
import { ClaimsGuard } from '../guards/claims.guard';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { ScopesGuard } from '../guards/scopes.guard';
import {
  readClaimRequirements,
  readIsPublic,
  readScopeRequirements,
  type RouteTargets,
} from '../guards/route-requirements';

/** What the guards demand of one route, read from the same metadata they read. */
export interface RouteSecurity {
  /** Lower-case HTTP method, as OpenAPI path items name operations. */
  readonly method: string;
  /** The route's full paths (global prefix, version, module and controller paths), Nest syntax. */
  readonly paths: readonly string[];
  /** The same paths without the global prefix (for documents built with `ignoreGlobalPrefix`). */
  readonly unprefixedPaths: readonly string[];
  /** `Controller.method`, for descriptions and errors. */
  readonly handlerName: string;
  /** Whether a request without a valid token is refused (401). */
  readonly requiresToken: boolean;
  /** `@RequireScopes` of controller and handler, merged as ScopesGuard merges them. */
  readonly requiredScopes: readonly string[];
  /** Each `@RequireAnyScope` group (controller and handler). */
  readonly anyScopeGroups: readonly (readonly string[])[];
  readonly claims: readonly ClaimRequirement[];
}

/** The methods Nest maps `@All()` to, as the OpenAPI scanner lists them. */
const ALL_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'search'];

/**
 * Every HTTP route of the application with what the guards demand of it: `@Public`, the merged
 * scope and claim requirements, and whether JwtAuthGuard, ScopesGuard and ClaimsGuard apply at all
 * (bound globally, the default, or with `@UseGuards`). `app` is the application, or a ModuleRef
 * of one of its modules (the resource metadata reads the routes from inside the module).
 */
export function collectRouteSecurity(app: Pick<INestApplicationContext, 'get'>): RouteSecurity[] {
  const modules = app.get(ModulesContainer, { strict: false });
  const config = app.get(ApplicationConfig, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const routePaths = new RoutePathFactory(config);
  const scanner = new MetadataScanner();
  const globalGuards: unknown[] = [
    ...config.getGlobalGuards(),
    ...config.getGlobalRequestGuards().map((wrapper) => wrapper.instance),
  ];
  const versioning = config.getVersioning();
  const routes: RouteSecurity[] = [];

  for (const module of modules.values()) {
    const modulePath = moduleRoutePath(module.metatype, modules.applicationId);
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, unknown>;
      const ctrlPath = Reflect.getMetadata(PATH_METADATA, controller) as
        string | string[] | undefined;
      const controllerVersion = versioning
        ? ((Reflect.getMetadata(VERSION_METADATA, controller) as VersionValue | undefined) ??
          versioning.defaultVersion)
        : undefined;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as
          string | string[] | undefined;
        if (methodPath === undefined) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler) as VersionValue;
        // As the router does: every controller path with every method path.
        const pathsFor = (globalPrefix: string) =>
          asArray(ctrlPath).flatMap((controllerPath) =>
            asArray(methodPath).flatMap((handlerPath) =>
              routePaths.create(
                {
                  ctrlPath: controllerPath,
                  methodPath: handlerPath,
                  modulePath,
                  globalPrefix,
                  controllerVersion,
                  methodVersion,
                  versioningOptions: versioning,
                },
                requestMethod,
              ),
            ),
          );
        const applies = (guard: Type) => guardApplies(guard, globalGuards, controller, handler);
        const targets: RouteTargets = [handler, controller];
        const isPublic = readIsPublic(reflector, targets);
        const { required, anyOf } = applies(ScopesGuard)
          ? readScopeRequirements(reflector, targets)
          : { required: [], anyOf: [] };
        const requiredScopes = [...required];
        const anyScopeGroups = anyOf;
        const claims = applies(ClaimsGuard) ? readClaimRequirements(reflector, targets) : [];
        // ScopesGuard and ClaimsGuard refuse a request without a principal even on a @Public route.
        const requiresToken =
          (!isPublic && applies(JwtAuthGuard)) ||
          requiredScopes.length > 0 ||
          anyScopeGroups.length > 0 ||
          claims.length > 0;
        const methods =
          requestMethod === RequestMethod.ALL
            ? ALL_METHODS
            : [RequestMethod[requestMethod].toLowerCase()];
        for (const method of methods) {
          routes.push({
            method,
            paths: pathsFor(config.getGlobalPrefix()),
            unprefixedPaths: pathsFor(''),
            handlerName: `${controller.name}.${name}`,
            requiresToken,
            requiredScopes,
            anyScopeGroups,
            claims,
          });
        }
      }
    }
  }
  return routes;
}

function asArray(path: string | string[] | undefined): string[] {
  if (path === undefined) return [''];
  return Array.isArray(path) ? path : [path];
}

function moduleRoutePath(module: unknown, applicationId: string | undefined): string | undefined {
  if (typeof module !== 'function') return undefined;
  return ((Reflect.getMetadata(MODULE_PATH + (applicationId ?? ''), module) as unknown) ??
    Reflect.getMetadata(MODULE_PATH, module)) as string | undefined;
}

/** Bound globally (APP_GUARD or useGlobalGuards) or with `@UseGuards` on the controller or handler. */
function guardApplies(
  guard: Type,
  globalGuards: readonly unknown[],
  controller: Type,
  handler: object,
): boolean {
  const bound = [
    ...globalGuards,
    ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
  ];
  return bound.some((candidate) =>
    typeof candidate === 'function'
      ? candidate === guard || candidate.prototype instanceof guard
      : candidate instanceof guard,
  );
}
