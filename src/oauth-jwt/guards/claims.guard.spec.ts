import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RequireClaim } from '../decorators/require-claim.decorator';
import { refusalOf } from '../errors/bearer-refusal.spec-helper';
import type { OAuthPrincipal } from '../principal.interface';
import { buildPrincipal } from '../token/build-principal';
import { ClaimsGuard } from './claims.guard';

@RequireClaim('tenant')
class TenantController {
  @RequireClaim('tier', 'gold')
  gold(): void {
    return undefined;
  }

  @RequireClaim('level', 3)
  @RequireClaim('verified', true)
  stacked(): void {
    return undefined;
  }

  any(): void {
    return undefined;
  }
}

class OpenController {
  list(): void {
    return undefined;
  }
}

type Handler = (...args: never[]) => unknown;

function principalWith(claims: Record<string, unknown>): OAuthPrincipal {
  return buildPrincipal({ sub: 'partner-a', exp: 2e9, ...claims }, ['scope'], 5, 0);
}

function contextFor(
  controller: object,
  handler: Handler,
  user?: OAuthPrincipal,
  type: 'http' | 'ws' = 'http',
): ExecutionContext {
  const context = new ExecutionContextHost(
    [user === undefined ? {} : { user }, {}, () => undefined],
    controller as never,
    handler,
  );
  context.setType(type);
  return context;
}

const guard = new ClaimsGuard(new Reflector());
const proto = TenantController.prototype;

function reasonOf(context: ExecutionContext): string {
  const refusal = refusalOf(() => guard.canActivate(context));
  return `${refusal.getStatus()} ${refusal.reason}`;
}

describe('ClaimsGuard', () => {
  it('lets a route without claim requirements through, even without a principal', () => {
    expect(guard.canActivate(contextFor(OpenController, OpenController.prototype.list))).toBe(true);
  });

  it('requires a present claim from the controller', () => {
    expect(
      guard.canActivate(contextFor(TenantController, proto.any, principalWith({ tenant: 't1' }))),
    ).toBe(true);
    expect(reasonOf(contextFor(TenantController, proto.any, principalWith({})))).toBe(
      '403 claim_requirement',
    );
    expect(reasonOf(contextFor(TenantController, proto.any, principalWith({ tenant: null })))).toBe(
      '403 claim_requirement',
    );
  });

  it('counts a falsy but present claim as present', () => {
    expect(
      guard.canActivate(contextFor(TenantController, proto.any, principalWith({ tenant: '' }))),
    ).toBe(true);
    expect(
      guard.canActivate(contextFor(TenantController, proto.any, principalWith({ tenant: 0 }))),
    ).toBe(true);
  });

  it('adds handler and controller requirements up', () => {
    expect(
      guard.canActivate(
        contextFor(TenantController, proto.gold, principalWith({ tenant: 't1', tier: 'gold' })),
      ),
    ).toBe(true);
    expect(
      reasonOf(contextFor(TenantController, proto.gold, principalWith({ tier: 'gold' }))),
    ).toBe('403 claim_requirement');
    expect(
      reasonOf(
        contextFor(TenantController, proto.gold, principalWith({ tenant: 't1', tier: 'silver' })),
      ),
    ).toBe('403 claim_requirement');
  });

  it('accepts an array claim that contains the required value', () => {
    expect(
      guard.canActivate(
        contextFor(
          TenantController,
          proto.gold,
          principalWith({ tenant: 't', tier: ['silver', 'gold'] }),
        ),
      ),
    ).toBe(true);
    expect(
      reasonOf(
        contextFor(TenantController, proto.gold, principalWith({ tenant: 't', tier: ['golden'] })),
      ),
    ).toBe('403 claim_requirement');
  });

  it('compares values strictly, type included, for stacked requirements', () => {
    const context = (claims: Record<string, unknown>) =>
      contextFor(TenantController, proto.stacked, principalWith({ tenant: 't', ...claims }));
    expect(guard.canActivate(context({ level: 3, verified: true }))).toBe(true);
    expect(reasonOf(context({ level: '3', verified: true }))).toBe('403 claim_requirement');
    expect(reasonOf(context({ level: 3, verified: 'true' }))).toBe('403 claim_requirement');
    expect(reasonOf(context({ level: 3 }))).toBe('403 claim_requirement');
  });

  it('answers 401 missing_token on a route with requirements but no principal', () => {
    expect(reasonOf(contextFor(TenantController, proto.any))).toBe('401 missing_token');
  });

  it('answers 401 missing_token outside HTTP', () => {
    expect(
      reasonOf(contextFor(TenantController, proto.any, principalWith({ tenant: 't' }), 'ws')),
    ).toBe('401 missing_token');
  });
});
