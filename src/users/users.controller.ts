import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Client, RequireScopes } from '../oauth-jwt';
import type { Partner } from '../partners/partner.interface';
import { CreateUserDto } from './create-user.dto';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PageCursorPipe,
  PageLimitPipe,
} from './page-query.pipes';
import type { User } from './user.interface';
import { UsersService } from './users.service';

/** The reply, on Express and Fastify alike (only the header is set through it). */
interface HeaderReply {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/** The partner's own users. Another partner's user is answered exactly like a missing one (404). */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** A JSON array; `Link: <...>; rel="next"` (RFC 8288) when there is more. */
  @Get()
  @RequireScopes('list:users')
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'From the previous page\'s `Link: <...>; rel="next"` header',
    schema: { type: 'string' },
  })
  async list(
    @Client() partner: Partner,
    @Query('limit', PageLimitPipe) limit: number,
    @Query('cursor', PageCursorPipe) cursor: string | undefined,
    @Req() request: { url?: string; originalUrl?: string },
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<User[]> {
    const page = await this.users.list(partner.clientId, limit, cursor);
    if (page.next !== undefined) {
      const path = (request.originalUrl ?? request.url ?? '/users').split('?')[0] ?? '/users';
      const next = `${path}?${new URLSearchParams({ limit: String(limit), cursor: page.next }).toString()}`;
      const link = `<${next}>; rel="next"`;
      if (reply.setHeader) reply.setHeader('Link', link);
      else reply.header?.('Link', link);
    }
    return page.users;
  }

  @Get(':id')
  @RequireScopes('read:users')
  get(@Client() partner: Partner, @Param('id') id: string): Promise<User> {
    return this.users.find(partner.clientId, id);
  }

  @Post()
  @RequireScopes('create:users')
  create(@Client() partner: Partner, @Body() input: CreateUserDto): Promise<User> {
    return this.users.create(partner.clientId, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('delete:users')
  remove(@Client() partner: Partner, @Param('id') id: string): Promise<void> {
    return this.users.remove(partner.clientId, id);
  }
}
