/** A user record of a partner. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}
