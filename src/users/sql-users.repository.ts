import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../database/database';
import { isUniqueViolation } from '../database/database-errors';
import { users } from '../database/schema';
import type { User } from './user.interface';
import { UserEmailTakenError, UsersRepository, type UserPage } from './users.repository';

const COLUMNS = { id: users.id, name: users.name, email: users.email };

/** The users on PostgreSQL or PGlite (drizzle); every query filters on the partner's id. */
export class SqlUsersRepository extends UsersRepository {
  constructor(private readonly db: Database) {
    super();
  }

  override list(partnerId: string, page: UserPage): Promise<User[]> {
    const ofPartner = eq(users.partnerId, partnerId);
    return this.db
      .select(COLUMNS)
      .from(users)
      .where(page.after === undefined ? ofPartner : and(ofPartner, gt(users.id, page.after)))
      .orderBy(asc(users.id))
      .limit(page.limit);
  }

  override async find(partnerId: string, id: string): Promise<User | undefined> {
    const [user] = await this.db
      .select(COLUMNS)
      .from(users)
      .where(and(eq(users.partnerId, partnerId), eq(users.id, id)));
    return user;
  }

  override async create(partnerId: string, user: User): Promise<User> {
    try {
      await this.db
        .insert(users)
        .values({ ...user, partnerId, emailKey: user.email.toLowerCase() });
    } catch (error) {
      if (isUniqueViolation(error)) throw new UserEmailTakenError();
      throw error;
    }
    return user;
  }

  override async remove(partnerId: string, id: string): Promise<boolean> {
    const removed = await this.db
      .delete(users)
      .where(and(eq(users.partnerId, partnerId), eq(users.id, id)))
      .returning({ id: users.id });
    return removed.length > 0;
  }
}
