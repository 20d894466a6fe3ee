import { Reflector } from '@nestjs/core';
import { REQUIRED_CLAIMS_KEY } from '../oauth-jwt.constants';
import { RequireClaim } from './require-claim.decorator';

const reflector = new Reflector();

describe('RequireClaim', () => {
  it('stores presence and value requirements, frozen, stacked', () => {
    @RequireClaim('tenant')
    class Controller {
      @RequireClaim('tier', 'gold')
      @RequireClaim('level', 3)
      handler(): void {
        return undefined;
      }
    }
    expect(reflector.get(REQUIRED_CLAIMS_KEY, Controller)).toEqual([{ name: 'tenant' }]);
    const onHandler = reflector.get<object[]>(REQUIRED_CLAIMS_KEY, Controller.prototype.handler);
    expect(onHandler).toEqual([
      { name: 'level', value: 3 },
      { name: 'tier', value: 'gold' },
    ]);
    expect(onHandler.every((requirement) => Object.isFrozen(requirement))).toBe(true);
  });

  it('throws without a claim name', () => {
    expect(() => RequireClaim('')).toThrow(new Error('RequireClaim() needs a claim name'));
  });
});
