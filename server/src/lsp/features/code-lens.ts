// "Test handshake" above every TLS connection the product supports: the server command
// `sptls.testHandshake` connects as the initiator to the responder's address and port.
// The arguments are the document URI and what the topology says; a client asks the user
// for what it does not (the command's `target` option).
import type { CodeLens } from 'vscode-languageserver';
import { COMMANDS, type TestHandshakeOptions } from '../../../../protocol/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { addressOf, connectionPort } from '../../handshake/endpoint.ts';

export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const link of analysis.model.links) {
    if (link.status !== 'checked' || !link.tls) continue;
    const from = link.from!, to = link.to!;
    const c = link.connection;
    const host = addressOf(to);
    const port = connectionPort(link);
    const options: TestHandshakeOptions = {
      line: analysis.lines.lineOf(c.from.start), initiator: from.name, responder: to.name,
      ...(host !== undefined ? { host } : {}), ...(port !== undefined ? { port } : {}),
    };
    const where = host !== undefined && port !== undefined ? `${host}:${port}` : `${to.name} (address or port asked when run)`;
    out.push({
      range: { start: analysis.lines.position(c.start), end: analysis.lines.position(c.end) },
      command: { title: 'Test handshake', command: COMMANDS.testHandshake, tooltip: `Connect to ${where} as ${from.name} would, with ${from.name}'s trust from the issued PKI`, arguments: [uri, options] },
    });
  }
  return out;
}
