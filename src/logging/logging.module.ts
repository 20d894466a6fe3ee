import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { LoggingConfig } from '../config/scale-config';
import { linkFastifyRequests, type FastifyInstanceView } from './fastify-request-link';
import { requestLogOptions } from './request-log.options';

/**
 * Structured JSON logs (nestjs-pino): a line per request, and Nest's Logger (the library logs
 * through it) routed to the same JSON stream once bootstrap calls `app.useLogger`.
 */
@Module({})
export class LoggingModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static register({ level, destination }: LoggingConfig): DynamicModule {
    const options = requestLogOptions(level);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
    };
  }

  // Before the server starts (listen), as Fastify requires of hooks.
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.getType() === 'fastify') {
      linkFastifyRequests(adapter.getInstance<FastifyInstanceView>());
    }
  }
}
