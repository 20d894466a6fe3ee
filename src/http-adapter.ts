import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppConfigError } from './config/app-config';

export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

/** HTTP_ADAPTER: `express` (default) or `fastify`; the module works unchanged on both. */
export function httpAdapterName(env: NodeJS.ProcessEnv = process.env): HttpAdapterName {
  const name = env['HTTP_ADAPTER'] || 'express';
  if (!(HTTP_ADAPTERS as readonly string[]).includes(name)) {
    throw new AppConfigError('HTTP_ADAPTER', `must be one of: ${HTTP_ADAPTERS.join(', ')}`);
  }
  return name as HttpAdapterName;
}

export function createHttpAdapter(name: HttpAdapterName): AbstractHttpAdapter {
  return name === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
}
