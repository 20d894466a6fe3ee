import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../oauth-jwt.constants';
import { Public } from './public.decorator';

const reflector = new Reflector();

describe('Public', () => {
  it('marks a handler or a controller as public', () => {
    @Public()
    class OpenController {
      handler(): void {
        return undefined;
      }
    }
    class MixedController {
      @Public()
      open(): void {
        return undefined;
      }
      closed(): void {
        return undefined;
      }
    }
    expect(reflector.get(IS_PUBLIC_KEY, OpenController)).toBe(true);
    expect(reflector.get(IS_PUBLIC_KEY, MixedController.prototype.open)).toBe(true);
    expect(reflector.get(IS_PUBLIC_KEY, MixedController.prototype.closed)).toBeUndefined();
  });
});
