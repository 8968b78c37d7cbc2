// The network phases before TLS: name resolution and the TCP connection, each with
// its own deadline. dns.lookup cannot be cancelled, so a late answer is ignored.
import { lookup } from 'node:dns';
import { isIP, Socket } from 'node:net';
import type { Failure, Phase } from './report.ts';

export class PhaseError extends Error {
  failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.failure = failure;
  }
}

export function phaseError(phase: Phase, code: string, message: string, extra: Partial<Failure> = {}): PhaseError {
  return new PhaseError({ phase, code, message, ...extra });
}

export function elapsedMs(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
}

export function resolveHost(host: string, timeoutMs: number): Promise<{ address: string; family: number }> {
  const family = isIP(host);
  if (family !== 0) return Promise.resolve({ address: host, family });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(phaseError('dns', 'TIMEOUT', `no answer resolving ${host} within ${timeoutMs} ms`)), timeoutMs);
    lookup(host, (err, address, fam) => {
      clearTimeout(timer);
      if (err) {
        const notFound = err.code === 'ENOTFOUND' || err.code === 'EAI_NONAME';
        reject(phaseError('dns', err.code ?? 'DNS', notFound ? `host name ${host} does not resolve (${err.code})` : `resolving ${host} failed: ${err.message}`));
      } else resolve({ address, family: fam });
    });
  });
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens on that port (or a firewall rejects it)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset while connecting',
  EADDRNOTAVAIL: 'address not available',
};

export function connectTcp(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(phaseError('connect', 'TIMEOUT', `TCP connect to ${address}:${port} got no answer within ${timeoutMs} ms (filtered port or host down)`));
    }, timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const code = err.code ?? 'ECONNECT';
      reject(phaseError('connect', code, `${CONNECT_ERRORS[code] ?? err.message} (${address}:${port})`));
    });
    socket.connect({ host: address, port }, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
