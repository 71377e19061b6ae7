// Real processes for the scale-out and launcher tests: the app, the worker and the sandbox each run as `node
// --import tsx <entry>` (or through scripts/run.cjs, as the npm scripts start them; one process each, so a
// SIGKILL kills exactly that process), with their output kept for asserts.
// A round-robin proxy stands in for the load balancer.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Child {
  name: string;
  process: ChildProcess;
  /** Every line written to stdout and stderr, in order. */
  lines: string[];
  /** stdout lines that are JSON (pino), parsed. */
  logs(): Array<Record<string, unknown>>;
  waitForLine(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** How an entry is started: through tsx, or through scripts/run.cjs (the npm scripts' compiled start-up). */
export type Runner = 'tsx' | 'launcher';
const RUNNER_ARGS: Record<Runner, string[]> = {
  tsx: ['--import', 'tsx'],
  launcher: [path.join(ROOT, 'scripts', 'run.cjs')],
};

export function startChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  runner: Runner = 'tsx',
): Child {
  const child = spawn(process.execPath, [...RUNNER_ARGS[runner], entry], {
    cwd: ROOT,
    // A clean environment: nothing of the test runner's (NODE_ENV=test, TEST_DATABASE_URL) leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  return {
    name,
    process: child,
    lines,
    logs: () =>
      lines.flatMap((l) => {
        if (!l.startsWith('{')) return [];
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    waitForLine(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(test);
          if (found !== undefined) return done(() => resolve(found));
          if (child.exitCode !== null || child.signalCode !== null) {
            return done(() => reject(new Error(`${name} exited:\n${lines.slice(-30).join('\n')}`)));
          }
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`${name}: no such line in ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`)),
            ),
          timeoutMs,
        );
        const done = (finish: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          finish();
        };
        waiters.add(check);
        check();
      });
    },
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port free right now on loopback (the child that gets it binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RoundRobinProxy {
  url: string;
  /** Which backend answered each request, in order: `[backend index, method, path]`. */
  served: Array<[number, string, string]>;
  setBackends(urls: string[]): void;
  close(): Promise<void>;
}

/** The load balancer: each request goes to the next backend in turn, with X-Forwarded-* set. */
export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let backends: URL[] = [];
  let next = 0;
  const served: Array<[number, string, string]> = [];
  const server = http.createServer((req, res) => {
    const index = next++ % backends.length;
    const target = backends[index];
    served.push([index, req.method ?? 'GET', req.url ?? '/']);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
          'x-forwarded-proto': 'http',
          'x-forwarded-host': req.headers.host ?? '',
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    setBackends(urls) {
      backends = urls.map((u) => new URL(u));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
