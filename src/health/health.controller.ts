import { Controller, Get } from '@nestjs/common';
import { Public } from '../oauth-jwt';

@Controller('health')
export class HealthController {
  /** Liveness: the process answers. Public. */
  @Public()
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
