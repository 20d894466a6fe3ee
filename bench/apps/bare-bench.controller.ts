import { Controller, Get } from '@nestjs/common';
import { BENCH_BODY } from './app-spec';

/** The same two routes with no guard at all. */
@Controller()
export class BareBenchController {
  @Get('public')
  public(): typeof BENCH_BODY {
    return BENCH_BODY;
  }

  @Get('guarded')
  guarded(): typeof BENCH_BODY {
    return BENCH_BODY;
  }
}
