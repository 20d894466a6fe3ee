import { OAuthJwtConfigurationError } from '../errors/oauth-jwt-configuration.error';
import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';

const BASE = { issuer: 'https://issuer.test/', audience: 'https://api.test' } as const;

function resourceMetadataOf(resourceMetadata: unknown) {
  return resolveOAuthJwtOptions({ ...BASE, resourceMetadata } as OAuthJwtModuleOptions)
    .resourceMetadata;
}

function errorOf(resourceMetadata: unknown): string {
  try {
    resourceMetadataOf(resourceMetadata);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthJwtConfigurationError);
    const { option, message } = error as OAuthJwtConfigurationError;
    return `${option} ${message.slice(message.indexOf('": ') + 3)}`;
  }
  throw new Error('expected an OAuthJwtConfigurationError, but the options were accepted');
}

describe('resourceMetadata option', () => {
  it('is off by default', () => {
    expect(resourceMetadataOf(undefined)).toBeUndefined();
  });

  it.each([
    ['https://api.example.com', 'https://api.example.com/.well-known/oauth-protected-resource'],
    ['https://api.example.com/', 'https://api.example.com/.well-known/oauth-protected-resource'],
    [
      'https://api.example.com/v1',
      'https://api.example.com/.well-known/oauth-protected-resource/v1',
    ],
    [
      'http://127.0.0.1:3000/partner/api',
      'http://127.0.0.1:3000/.well-known/oauth-protected-resource/partner/api',
    ],
  ])('derives the metadata URL of %s by RFC 9728 §3 path insertion', (resource, url) => {
    const resolved = resourceMetadataOf({ resource });
    expect(resolved).toEqual({
      resource,
      url,
      path: new URL(url).pathname,
      resourceName: undefined,
      resourceDocumentation: undefined,
    });
  });

  it('keeps the name and the documentation URL', () => {
    expect(
      resourceMetadataOf({
        resource: 'https://api.example.com',
        resourceName: 'Partner API — users',
        resourceDocumentation: 'https://docs.example.com/partner-api',
      }),
    ).toMatchObject({
      resourceName: 'Partner API — users',
      resourceDocumentation: 'https://docs.example.com/partner-api',
    });
  });

  it.each([
    ['not an object', 'x', 'resourceMetadata must be an object'],
    ['an array', [], 'resourceMetadata must be an object'],
    ['without resource', {}, 'resourceMetadata.resource must be a non-empty URL string'],
    [
      'an unknown key',
      { resource: 'https://a.test', url: 'x' },
      'resourceMetadata.url is not a known option',
    ],
    [
      'a relative resource',
      { resource: '/api' },
      'resourceMetadata.resource must be an absolute http(s) URL',
    ],
    [
      'another scheme',
      { resource: 'urn:partner-api' },
      'resourceMetadata.resource must be an absolute http(s) URL',
    ],
    [
      'a fragment',
      { resource: 'https://a.test/#x' },
      'resourceMetadata.resource must not have a query or fragment',
    ],
    [
      'a query',
      { resource: 'https://a.test/?x=1' },
      'resourceMetadata.resource must not have a query or fragment',
    ],
    [
      'credentials',
      { resource: 'https://u:p@a.test/' },
      'resourceMetadata.resource must not carry credentials',
    ],
    ['a quote', { resource: 'https://a.test/"x' }, 'resourceMetadata.resource must have a path of'],
    [
      'a route parameter',
      { resource: 'https://a.test/:id' },
      'resourceMetadata.resource must have a path of',
    ],
    [
      'a non-ASCII host',
      { resource: 'https://bücher.test' },
      'resourceMetadata.resource must be printable ASCII',
    ],
    [
      'an empty name',
      { resource: 'https://a.test', resourceName: '' },
      'resourceMetadata.resourceName must be a non-empty string',
    ],
    [
      'a relative documentation URL',
      { resource: 'https://a.test', resourceDocumentation: 'docs' },
      'resourceMetadata.resourceDocumentation must be an absolute http(s) URL',
    ],
  ])('refuses %s at start-up, naming the option', (_case, value, message) => {
    expect(errorOf(value)).toContain(message);
  });
});
