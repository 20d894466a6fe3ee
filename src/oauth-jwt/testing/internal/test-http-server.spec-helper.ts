/*
 * For the library's own specs only: it calls Jest's hooks, so it is never built
 * (tsconfig.build.json excludes *.spec-helper.ts) and never shipped with the test kit.
 */
import { TestHttpServer } from './test-http-server';

/**
 * One TestHttpServer for the whole spec file: started before its tests (handed to `started`),
 * its routes and counts reset before each test, closed after them all.
 */
export function useTestHttpServer(started: (server: TestHttpServer) => void): void {
  let server: TestHttpServer | undefined;
  beforeAll(async () => {
    server = await TestHttpServer.start();
    started(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.reset();
  });
}
