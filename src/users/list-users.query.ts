import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** The page size of GET /users when `limit` is absent. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest `limit` GET /users accepts. */
export const MAX_PAGE_SIZE = 200;

/** `GET /users?limit=&cursor=`: bad values are a 400 naming them (the global ValidationPipe). */
export class ListUsersQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  /** The `cursor` of the previous page's `Link: <...>; rel="next"`: opaque to clients. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
