import * as http from 'node:http';
import type { HttpResult } from './bearer-refusals';

const RAW_REQUEST_TIMEOUT_MS = 5_000;

/**
 * A GET through node:http, for what supertest cannot send: a header given as an array goes out as
 * several header lines (two `Authorization` headers). Resolves with the JSON body when there is
 * one; rejects after 5 s.
 */
export function rawGet(
  baseUrl: string,
  path: string,
  headers: Readonly<Record<string, string | readonly string[]>>,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), {
      method: 'GET',
      agent: false,
      timeout: RAW_REQUEST_TIMEOUT_MS,
    });
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.on('timeout', () => {
      request.destroy(new Error(`GET ${path} timed out after ${RAW_REQUEST_TIMEOUT_MS} ms`));
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if (response.headers['content-type']?.includes('application/json')) {
          body = JSON.parse(text) as unknown;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    request.end();
  });
}
