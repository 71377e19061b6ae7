import http from 'node:http';
import type { Socket } from 'node:net';
import { createSandboxApp } from './sandbox-app';
import type { AppOptions } from './http/options';
import type { SandboxStore } from './store/store';

export interface RunningSandbox {
  url: string;
  port: number;
  store: SandboxStore;
  close(): Promise<void>;
}

/** Listens and tracks sockets, so close() finishes at once even with 'hang' faults in flight. */
export async function listen(
  store: SandboxStore,
  appOptions: Partial<AppOptions>,
  host: string,
  port: number,
): Promise<RunningSandbox> {
  const server = http.createServer(createSandboxApp(store, appOptions));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    store,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
