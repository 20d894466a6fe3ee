import { Controller, Get, UseGuards } from '@nestjs/common';
import { BENCH_BODY } from './app-spec';
import { SignatureOnlyGuard } from './signature-only.guard';

/** The floor app's routes: the guarded one behind SignatureOnlyGuard. */
@Controller()
export class SignatureFloorController {
  @Get('public')
  public(): typeof BENCH_BODY {
    return BENCH_BODY;
  }

  @UseGuards(SignatureOnlyGuard)
  @Get('guarded')
  guarded(): typeof BENCH_BODY {
    return BENCH_BODY;
  }
}
