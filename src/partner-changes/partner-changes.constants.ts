/** The Redis pub/sub channel on which a partner change is announced to every instance. */
export const PARTNER_CHANGES_CHANNEL = 'nest-oauth-jwt:partner-changed';
/** The message that makes every instance forget every partner verdict. */
export const ALL_PARTNERS = '*';
