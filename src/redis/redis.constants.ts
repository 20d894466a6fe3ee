/** The app's shared ioredis client (commands); null without REDIS_URL. */
export const REDIS_CLIENT = 'APP:REDIS_CLIENT';
