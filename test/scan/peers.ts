// Loopback peers for the scan tests: node:tls listeners (the cheap fake peer) that
// listen first and are told later what to present, plain TCP peers that never answer
// or answer in another protocol, and openssl s_server (the real one).
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type SecureVersion, type Server } from 'node:tls';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

interface Closable {
  close(cb: () => void): void;
  on(event: 'connection', cb: (s: Socket) => void): void;
}

/** Closes the server and every socket it holds, so `after` never waits on a keep-alive. */
function closer(server: Closable): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

async function listen(server: TcpServer | Server): Promise<number> {
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  return (server.address() as { port: number }).port;
}

export interface TlsPeer extends Listener {
  /** Presents this key and certificate (leaf first, then the chain it sends), within this version range. */
  present(identity: { key: string; cert: string }, versions?: { min?: SecureVersion; max?: SecureVersion }): void;
}

export async function tlsPeer(): Promise<TlsPeer> {
  const server = createServer({});
  server.on('tlsClientError', () => {});
  const close = closer(server);
  const port = await listen(server);
  return {
    port, close,
    present(identity, versions = {}) {
      server.setSecureContext({ ...identity, minVersion: versions.min ?? 'TLSv1.2', maxVersion: versions.max ?? 'TLSv1.3' });
    },
  };
}

/** Accepts TCP connections and never says a word: a hung service. */
export async function silentPeer(): Promise<Listener> {
  const server = createTcpServer(() => {});
  const close = closer(server);
  return { port: await listen(server), close };
}

/** Answers anything with an HTTP response: a web server where a TLS service was expected. */
export async function httpPeer(): Promise<Listener> {
  const server = createTcpServer((s) => { s.on('error', () => {}); s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')); });
  const close = closer(server);
  return { port: await listen(server), close };
}

/** A port nothing listens on: bound once, then closed. */
export async function deadPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The issued key and certificate + chain of component `name` under `pki`. */
export function issued(pki: string, name: string, withChain = true): { key: string; cert: string } {
  const file = (f: string) => readFileSync(join(pki, 'components', name, f), 'utf8');
  return { key: file('key.pem'), cert: file('cert.pem') + (withChain ? file('chain.pem') : '') };
}
