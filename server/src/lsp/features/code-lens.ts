// "Test handshake" above every TLS connection the product supports: the client command
// `sptls.testHandshake` connects as the initiator to the responder's address and port.
// The arguments carry what the topology says; the client asks for what it does not.
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/engine.ts';
import { addressOf, connectionPort } from '../../handshake/endpoint.ts';

export const TEST_HANDSHAKE_COMMAND = 'sptls.testHandshake';

export interface TestHandshakeArgs {
  uri: string;
  /** 0-based line of the connection. */
  line: number;
  initiator: string;
  responder: string;
  /** The responder's `address`; absent when the topology gives none. */
  host?: string;
  /** The connection's `port`, else the responder's, else the product default; absent when none applies. */
  port?: number;
}

export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const link of analysis.model.links) {
    if (link.status !== 'checked' || !link.tls) continue;
    const from = link.from!, to = link.to!;
    const c = link.connection;
    const host = addressOf(to);
    const port = connectionPort(link);
    const args: TestHandshakeArgs = {
      uri, line: analysis.lines.lineOf(c.from.start), initiator: from.name, responder: to.name,
      ...(host !== undefined ? { host } : {}), ...(port !== undefined ? { port } : {}),
    };
    const where = host !== undefined && port !== undefined ? `${host}:${port}` : `${to.name} (address or port asked when run)`;
    out.push({
      range: { start: analysis.lines.position(c.start), end: analysis.lines.position(c.end) },
      command: { title: 'Test handshake', command: TEST_HANDSHAKE_COMMAND, tooltip: `Connect to ${where} as ${from.name} would, with ${from.name}'s trust from the issued PKI`, arguments: [args] },
    });
  }
  return out;
}
