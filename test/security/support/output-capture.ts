import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/**
 * Everything the process prints while a security suite runs: Nest's Logger (the app is given this
 * capture as its logger), console.* and direct writes to stdout/stderr (spied, still printed), kept
 * for the leak detector.
 */
export class OutputCapture implements LoggerService {
  private readonly lines: string[] = [];
  private readonly restore: (() => void)[] = [];
  private readonly streamSpies: jest.SpyInstance[] = [];
  private readonly consoleSpies: [string, jest.SpyInstance][] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.record('fatal', message, rest);
  }

  /** Starts recording console.* and process.stdout/stderr writes (idempotent). */
  start(): void {
    if (this.restore.length > 0) return;
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      const spy = jest.spyOn(console, method);
      this.consoleSpies.push([method, spy]);
      this.restore.push(() => {
        this.lines.push(...consoleLines(method, spy));
        spy.mockRestore();
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const spy = jest.spyOn(stream, 'write');
      this.streamSpies.push(spy);
      this.restore.push(() => {
        this.lines.push(...streamLines(spy));
        spy.mockRestore();
      });
    }
  }

  /** Stops recording (stream writes so far are kept). */
  stop(): void {
    this.streamSpies.splice(0);
    this.consoleSpies.splice(0);
    for (const undo of this.restore.splice(0)) undo();
  }

  /** Every line printed so far, by any of the recorded channels. */
  allLines(): string[] {
    return [
      ...this.lines,
      ...this.consoleSpies.flatMap(([method, spy]) => consoleLines(method, spy)),
      ...this.streamSpies.flatMap(streamLines),
    ];
  }

  private record(level: string, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest].map((part) =>
      typeof part === 'string' ? part : inspect(part, { depth: 6 }),
    );
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
}

function streamLines(spy: jest.SpyInstance): string[] {
  return spy.mock.calls.map((call: unknown[]) => {
    const chunk = call[0];
    return `stream ${Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk)}`;
  });
}

function consoleLines(method: string, spy: jest.SpyInstance): string[] {
  return spy.mock.calls.map(
    (call: unknown[]) =>
      `console.${method} ${call.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 6 }))).join(' ')}`,
  );
}
