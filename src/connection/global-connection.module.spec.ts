import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GlobalConnectionModule } from './global-connection.module';

const TOKEN = 'TEST:CONNECTION';

@Injectable()
class Exported {}

@Injectable()
class Private {}

class ConnectionModule extends GlobalConnectionModule<{ open: boolean }, string>({
  token: TOKEN,
  open: (name) => ({ open: name === 'on' }),
  close: (connection) => {
    connection.open = false;
    return Promise.resolve();
  },
  providers: [Exported, Private],
  exports: [Exported],
}) {}

/** A module elsewhere in the app that injects `dependency`. */
function needing(dependency: Type | string): Type {
  @Injectable()
  class Needs {
    constructor(@Inject(dependency) readonly dependency: unknown) {}
  }
  @Module({ providers: [Needs] })
  class NeedsModule {}
  return NeedsModule;
}

const compile = (elsewhere: Type) =>
  Test.createTestingModule({ imports: [ConnectionModule.register('on'), elsewhere] }).compile();

describe('GlobalConnectionModule', () => {
  it('opens the connection from the settings for every module, and closes it on application shutdown', async () => {
    const app = (await compile(needing(TOKEN))).createNestApplication();
    await app.init();
    const connection = app.get<{ open: boolean }>(TOKEN);
    expect(connection).toEqual({ open: true });

    await app.close();
    expect(connection.open).toBe(false);
  });

  it('lets other modules inject the providers it exports, and only those', async () => {
    await expect(compile(needing(Exported))).resolves.toBeDefined();
    await expect(compile(needing(Private))).rejects.toThrow(/can't resolve dependencies/);
  });
});
