import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from '@nestjs/common';

/** One optional connection of the app (the database, Redis) and what is built on it. */
export interface GlobalConnection<T, S> {
  /** Where the connection is provided (and exported) for the whole app. */
  token: InjectionToken;
  /** Opens the connection, or returns what stands for "none configured" (undefined, null). */
  open: (settings: S) => T | Promise<T>;
  /** Closes it on application shutdown: after the HTTP server has finished its requests. */
  close: (connection: T) => Promise<void>;
  /** More providers, built on the connection, and which of them the whole app may inject. */
  providers?: Provider[];
  exports?: InjectionToken[];
}

/** A module class whose `register(settings)` opens the connection for the whole app. */
export type GlobalConnectionModuleClass<S> = Type & {
  register(settings: S): DynamicModule;
};

/**
 * The one shape of the app's connection modules, to extend (as ConfigurableModuleClass is):
 * global, the connection opened before the app starts and closed on application shutdown (not on
 * module destroy, which comes before the HTTP server has drained).
 */
export function GlobalConnectionModule<T, S>(
  connection: GlobalConnection<T, S>,
): GlobalConnectionModuleClass<S> {
  const { token, open, close, providers = [], exports = [] } = connection;
  const closer: Provider = {
    provide: Symbol(`closes ${String(token)}`),
    inject: [token],
    useFactory: (opened: T): OnApplicationShutdown => ({
      onApplicationShutdown: () => close(opened),
    }),
  };

  @Module({})
  class ConnectionModule {
    static register(this: Type, settings: S): DynamicModule {
      return {
        module: this,
        global: true,
        providers: [{ provide: token, useFactory: () => open(settings) }, closer, ...providers],
        exports: [token, ...exports],
      };
    }
  }
  return ConnectionModule;
}
