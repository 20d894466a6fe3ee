/** A partner of the API: an OAuth client allowed to call it. */
export interface Partner {
  readonly clientId: string;
  readonly name: string;
}
