import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { connect } from 'node:net';
import { REQUEST_TIMEOUT_MS } from './constants';

/** One HTTP exchange as the security suites record it. */
export interface Exchange {
  readonly request: {
    readonly method: string;
    readonly path: string;
    /** Every header line sent, raw (for the leak detector). */
    readonly text: string;
  };
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The response body as text. */
  readonly text: string;
  /** The body parsed as JSON when it is JSON, else the text. */
  readonly body: unknown;
}

export interface RequestSpec {
  readonly method?: string;
  readonly path?: string;
  /** Header values as node:http sends them; an array sends the header once per item. */
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (contentType?.includes('application/json') && text !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * One request through node:http on a fresh connection, bounded by REQUEST_TIMEOUT_MS: a hang is a
 * failure, never a stuck test. Rejects on timeout or network error.
 */
export function send(baseUrl: string, spec: RequestSpec = {}): Promise<Exchange> {
  const method = spec.method ?? 'GET';
  const path = spec.path ?? '/users';
  const headers: OutgoingHttpHeaders = { ...spec.headers };
  if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, baseUrl), {
      method,
      headers,
      agent: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
    const deadline = setTimeout(() => {
      request.destroy(new Error(`${method} ${path} got no answer within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
    request.on('timeout', () => {
      request.destroy(new Error(`${method} ${path} timed out after ${REQUEST_TIMEOUT_MS} ms`));
    });
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      response.on('end', () => {
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          request: { method, path, text: Object.values(headers).flat().join('\n') },
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          body: parseBody(text, response.headers['content-type']),
        });
      });
    });
    request.end(spec.body);
  });
}

/** A response read off a raw socket. */
export interface RawResponse {
  readonly status: number;
  /** Lower-cased header names; repeated headers joined with ', '. */
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly body: unknown;
}

function parseRawResponse(raw: Buffer): RawResponse | undefined {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (status === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  const bodyText = body.toString('utf8');
  return {
    status: Number(status),
    headers,
    text: bodyText,
    body: parseBody(bodyText, headers['content-type']),
  };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Writes `bytes` as is on a new TCP connection and reads the first response, for what node:http's
 * client refuses to send: duplicate or folded headers, NUL and other bytes Node's parser rejects,
 * headers over Node's 16 KiB limit. Node answers some of these itself (400 or 431, no challenge)
 * and may reset the connection right after; the response is kept if it arrived. Bounded by
 * REQUEST_TIMEOUT_MS.
 */
export function sendRaw(port: number, bytes: Buffer | string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      const response = parseRawResponse(Buffer.concat(chunks));
      if (response) resolve(response);
      else reject(error ?? new Error('the connection closed without an HTTP response'));
    };
    const deadline = setTimeout(() => {
      finish(new Error(`no response within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One complete response is all we want (Connection: close is sent, but Node's own error
      // responses may leave the socket half-open).
      const parsed = parseRawResponse(Buffer.concat(chunks));
      const length = parsed?.headers['content-length'];
      if (parsed && length !== undefined && Buffer.byteLength(parsed.text) >= Number(length)) {
        finish();
      }
    });
    socket.on('end', () => {
      finish();
    });
    socket.on('close', () => {
      finish();
    });
    socket.on('error', (error) => {
      finish(error);
    });
    socket.on('connect', () => {
      socket.write(bytes);
    });
  });
}

/** A raw HTTP/1.1 request: the request line, `Host`, `Connection: close`, then `headerLines`. */
export function rawRequest(
  port: number,
  headerLines: readonly (string | Buffer)[],
  path = '/users',
): Buffer {
  const lines: Buffer[] = [
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`),
  ];
  for (const line of headerLines) lines.push(Buffer.from(line), Buffer.from('\r\n'));
  lines.push(Buffer.from('\r\n'));
  return Buffer.concat(lines);
}
