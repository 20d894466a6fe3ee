import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { BENCH_BODY } from './app-spec';
import { HandWrittenScopeGuard } from './passport-scope.guard';

/** The tutorial's routes: `@UseGuards(AuthGuard('jwt'), <scope guard>)` on the guarded one. */
@Controller()
export class PassportJwtBenchController {
  @Get('public')
  public(): typeof BENCH_BODY {
    return BENCH_BODY;
  }

  @UseGuards(AuthGuard('jwt'), HandWrittenScopeGuard)
  @Get('guarded')
  guarded(): typeof BENCH_BODY {
    return BENCH_BODY;
  }
}
