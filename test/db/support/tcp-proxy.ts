import * as net from 'node:net';

/** A TCP proxy on 127.0.0.1 the test can cut (an unreachable database) and restore. */
export interface TcpProxy {
  readonly port: number;
  /** Closes every connection and stops listening: connections are refused until `restore()`. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port picked by the OS> to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    const next = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = next.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
    port = address.port;
    server = next;
  };
  const cut = async (): Promise<void> => {
    const running = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (running)
      await new Promise<void>((resolve) =>
        running.close(() => {
          resolve();
        }),
      );
  };
  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    restore: async () => {
      if (!server) await listen();
    },
    close: cut,
  };
}
