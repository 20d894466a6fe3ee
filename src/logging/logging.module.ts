import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LoggingConfig } from '../config/scale-config';
import { requestLogOptions } from './request-log.options';

/**
 * Structured JSON logs (nestjs-pino): a line per request, and Nest's Logger (the library logs
 * through it) routed to the same JSON stream once bootstrap calls `app.useLogger`.
 */
@Module({})
export class LoggingModule {
  static register({ level, destination }: LoggingConfig): DynamicModule {
    const options = requestLogOptions(level);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
    };
  }
}
