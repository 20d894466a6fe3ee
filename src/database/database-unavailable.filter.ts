import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DrizzleQueryError } from 'drizzle-orm';

/** Seconds a client is told to wait after a database failure. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one boundary where database failures become the documented 503 with Retry-After; their
 * messages never reach a client. Drizzle wraps every failed query (connection errors included) in
 * DrizzleQueryError, so catching that type leaves every other error to its own filter.
 */
@Catch(DrizzleQueryError)
export class DatabaseUnavailableFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_exception: DrizzleQueryError, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const reply: unknown = host.switchToHttp().getResponse();
    adapter.setHeader(reply, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    adapter.reply(
      reply,
      {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'The database is temporarily unavailable',
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
