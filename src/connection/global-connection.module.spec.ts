import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { globalConnectionModule } from './global-connection.module';

const TOKEN = 'TEST:CONNECTION';

@Module({})
class ConnectionModule {}

@Injectable()
class UsesConnection {
  constructor(@Inject(TOKEN) readonly connection: { open: boolean }) {}
}

@Module({ providers: [UsesConnection] })
class ElsewhereModule {}

describe('globalConnectionModule', () => {
  it('provides the opened connection to every module and closes it on application shutdown', async () => {
    const connection = { open: true };
    const close = jest.fn((opened: { open: boolean }) => {
      opened.open = false;
      return Promise.resolve();
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        globalConnectionModule({
          module: ConnectionModule,
          token: TOKEN,
          open: () => Promise.resolve(connection),
          close,
        }),
        ElsewhereModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    expect(app.get(UsesConnection).connection).toBe(connection);
    expect(close).not.toHaveBeenCalled();

    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
    expect(connection.open).toBe(false);
  });

  it('lets other modules inject the providers it exports, and only those', async () => {
    @Injectable()
    class Exported {}
    @Injectable()
    class Private {}
    const connectionWith = () =>
      globalConnectionModule({
        module: ConnectionModule,
        token: TOKEN,
        open: () => null,
        close: () => Promise.resolve(),
        providers: [Exported, Private],
        exports: [Exported],
      });
    const needing = (dependency: Type) => {
      @Injectable()
      class Needs {
        constructor(@Inject(dependency) readonly dependency: unknown) {}
      }
      @Module({ providers: [Needs] })
      class NeedsModule {}
      return Test.createTestingModule({ imports: [connectionWith(), NeedsModule] }).compile();
    };
    await expect(needing(Exported)).resolves.toBeDefined();
    await expect(needing(Private)).rejects.toThrow(/can't resolve dependencies/);
  });
});
