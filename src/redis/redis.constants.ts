/** The app's shared ioredis client (commands); null without REDIS_URL. */
export const REDIS_CLIENT = 'APP:REDIS_CLIENT';
/** A second connection for pub/sub (a subscribed connection cannot run commands); null without REDIS_URL. */
export const REDIS_SUBSCRIBER = 'APP:REDIS_SUBSCRIBER';
