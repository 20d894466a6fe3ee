import type { RouteSecurity } from '../openapi/route-security';
import { buildResourceMetadata } from './build-resource-metadata';

const SETTINGS = {
  resource: 'https://api.test',
  url: 'https://api.test/.well-known/oauth-protected-resource',
  path: '/.well-known/oauth-protected-resource',
  resourceName: undefined,
  resourceDocumentation: undefined,
};

function route(requiredScopes: string[], anyScopeGroups: string[][] = []): RouteSecurity {
  return {
    method: 'get',
    paths: ['/'],
    unprefixedPaths: ['/'],
    handlerName: 'C.m',
    requiresToken: true,
    requiredScopes,
    anyScopeGroups,
    claims: [],
  };
}

describe('buildResourceMetadata', () => {
  it('lists every scope of every route once, sorted, and each issuer once', () => {
    expect(
      buildResourceMetadata(
        SETTINGS,
        ['https://b.test/', 'https://a.test/', 'https://b.test/'],
        [route(['z', 'a']), route(['a'], [['m', 'b']])],
      ),
    ).toEqual({
      resource: 'https://api.test',
      authorization_servers: ['https://b.test/', 'https://a.test/'],
      scopes_supported: ['a', 'b', 'm', 'z'],
      bearer_methods_supported: ['header'],
    });
  });

  it('leaves scopes_supported out when no route requires a scope', () => {
    expect(buildResourceMetadata(SETTINGS, ['https://a.test/'], [route([])])).not.toHaveProperty(
      'scopes_supported',
    );
  });

  it('adds resource_name and resource_documentation when given', () => {
    expect(
      buildResourceMetadata(
        { ...SETTINGS, resourceName: 'API', resourceDocumentation: 'https://docs.test/' },
        ['https://a.test/'],
        [],
      ),
    ).toMatchObject({ resource_name: 'API', resource_documentation: 'https://docs.test/' });
  });
});
