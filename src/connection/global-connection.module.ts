import type {
  DynamicModule,
  InjectionToken,
  OnApplicationShutdown,
  Provider,
  Type,
} from '@nestjs/common';

/** One optional connection of the app (the database, Redis) and what is built on it. */
export interface GlobalConnection<T> {
  /** The module class the dynamic module stands for. */
  module: Type;
  /** Where the connection is provided (and exported) for the whole app. */
  token: InjectionToken;
  /** Opens the connection, or returns what stands for "none configured" (undefined, null). */
  open: () => T | Promise<T>;
  /** Closes it on application shutdown: after the HTTP server has finished its requests. */
  close: (connection: T) => Promise<void>;
  /** More providers, built on the connection, and which of them the whole app may inject. */
  providers?: Provider[];
  exports?: InjectionToken[];
}

/**
 * The one shape of the app's connection modules: global, the connection opened before the app
 * starts and closed on application shutdown (not on module destroy, which comes before the HTTP
 * server has drained).
 */
export function globalConnectionModule<T>(connection: GlobalConnection<T>): DynamicModule {
  const { module, token, open, close, providers = [], exports = [] } = connection;
  const closer: Provider = {
    provide: Symbol(`closes ${String(token)}`),
    inject: [token],
    useFactory: (opened: T): OnApplicationShutdown => ({
      onApplicationShutdown: () => close(opened),
    }),
  };
  return {
    module,
    global: true,
    providers: [{ provide: token, useFactory: open }, closer, ...providers],
    exports: [token, ...exports],
  };
}
