import { Controller, Get } from '@nestjs/common';
import { Client } from '../oauth-jwt';
import type { Partner } from './partner.interface';

@Controller('partners')
export class PartnersController {
  /** Any valid token of a known partner: who am I? */
  @Get('me')
  me(@Client() partner: Partner): Partner {
    return { clientId: partner.clientId, name: partner.name };
  }
}
