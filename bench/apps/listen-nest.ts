import { Logger } from '@nestjs/common';
import { NestFactory, type IEntryNestModule } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapter } from './app-spec';
import type { RunningServer } from './running-server';

/**
 * Starts a Nest app on 127.0.0.1, port 0, with Nest's logging limited to errors. Fastify is loaded
 * only by the apps that use it, so the Express apps' memory holds no Fastify.
 */
export async function listenNest(
  module: IEntryNestModule,
  adapter: HttpAdapter,
): Promise<RunningServer> {
  Logger.overrideLogger(['error', 'warn']);
  let app;
  if (adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter());
  } else {
    app = await NestFactory.create(module);
  }
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  return { port: (server.address() as AddressInfo).port, close: () => app.close() };
}
