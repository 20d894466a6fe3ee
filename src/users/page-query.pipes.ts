import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';

/** The page size of GET /users when `limit` is absent. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest `limit` GET /users accepts. */
export const MAX_PAGE_SIZE = 200;

/**
 * `?limit=`: an integer from 1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent; 400 otherwise.
 * Read parameter by parameter (not as a DTO) so that other query parameters stay ignored.
 */
@Injectable()
export class PageLimitPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    if (value === undefined) return DEFAULT_PAGE_SIZE;
    // The global ValidationPipe (transform) may have made it a number already: NaN when not one.
    const limit = typeof value === 'string' && /^[0-9]{1,3}$/.test(value) ? Number(value) : value;
    if (
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_PAGE_SIZE
    ) {
      throw new BadRequestException([`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`]);
    }
    return limit;
  }
}

/** `?cursor=`: the `cursor` of a previous page's `Link: <...>; rel="next"` (opaque); 400 otherwise. */
@Injectable()
export class PageCursorPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !isUUID(value)) {
      throw new BadRequestException(['cursor must be the cursor of a previous page']);
    }
    return value.toLowerCase();
  }
}
