import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { Client, RequireScopes } from '../oauth-jwt';
import type { Partner } from '../partners/partner.interface';
import { CreateUserDto } from './create-user.dto';
import type { User } from './user.interface';
import { UsersService } from './users.service';

/** The partner's own users. Another partner's user is answered exactly like a missing one (404). */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequireScopes('list:users')
  list(@Client() partner: Partner): User[] {
    return this.users.list(partner.clientId);
  }

  @Get(':id')
  @RequireScopes('read:users')
  get(@Client() partner: Partner, @Param('id') id: string): User {
    const user = this.users.find(partner.clientId, id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  @Post()
  @RequireScopes('create:users')
  create(@Client() partner: Partner, @Body() input: CreateUserDto): User {
    return this.users.create(partner.clientId, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('delete:users')
  remove(@Client() partner: Partner, @Param('id') id: string): void {
    if (!this.users.remove(partner.clientId, id)) throw new NotFoundException('User not found');
  }
}
