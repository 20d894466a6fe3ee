import type { User } from './user.interface';

/** Raised by `create` when the partner already has a user with this email (any case). */
export class UserEmailTakenError extends Error {
  constructor() {
    super('a user with this email already exists');
    this.name = 'UserEmailTakenError';
  }
}

/** A page request: at most `limit` users whose id sorts after `after`. */
export interface UserPage {
  readonly limit: number;
  readonly after?: string;
}

/**
 * The users' queries, one place. Every query takes the partner's id: tenant isolation lives here,
 * not in controllers. Ordered by id, so a page continues after the last id it returned.
 */
export abstract class UsersRepository {
  abstract list(partnerId: string, page: UserPage): Promise<User[]>;
  abstract find(partnerId: string, id: string): Promise<User | undefined>;
  /** @throws UserEmailTakenError */
  abstract create(partnerId: string, user: User): Promise<User>;
  /** False when the partner has no such user. */
  abstract remove(partnerId: string, id: string): Promise<boolean>;
}
