import { Controller, Get } from '@nestjs/common';
import { Public, RequireScopes } from '../../src/oauth-jwt';
import { BENCH_BODY } from './app-spec';

/** Our module's routes: a `@Public()` one and a `@RequireScopes('list:users')` one. */
@Controller()
export class OAuthJwtBenchController {
  @Public()
  @Get('public')
  public(): typeof BENCH_BODY {
    return BENCH_BODY;
  }

  @RequireScopes('list:users')
  @Get('guarded')
  guarded(): typeof BENCH_BODY {
    return BENCH_BODY;
  }
}
