// Every `sptls` command, in the order `sptls --help` lists them. A command's module is
// loaded only when it runs: the CLI bundle is split along these imports, so `sptls check`
// compiles the parser and the rules, not ELK, node-forge or the language server.
import type { Command } from '../io.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'check', summary: 'check topology files and print their diagnostics', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'collect-script', summary: "print a read-only script that copies a host's SP options, key databases and certificates", load: async () => (await import('./collect-script.ts')).collectScriptCommand },
  { name: 'diagram', summary: 'draw the topology (SVG, Graphviz DOT or Mermaid)', load: async () => (await import('./diagram.ts')).diagramCommand },
  { name: 'expiry', summary: 'list every known certificate by end date (text, JSON or an iCalendar file)', load: async () => (await import('./expiry.ts')).expiryCommand },
  { name: 'fmt', summary: 'lay out topology files in the canonical form', load: async () => (await import('./fmt.ts')).fmtCommand },
  { name: 'handshake', summary: 'test a live TLS handshake: chain, name, validity, key, signature, client auth', load: async () => (await import('./handshake.ts')).handshakeCommand },
  { name: 'import', summary: 'write a topology from collected options files, key databases and dsmadmc outputs', load: async () => (await import('./import.ts')).importCommand },
  { name: 'inspect', summary: 'list the entries of a .kdb, PKCS#12 or PEM/ARM/DER file', load: async () => (await import('./inspect.ts')).inspectCommand },
  { name: 'issue', summary: 'issue the CAs and certificates a topology declares', load: async () => (await import('./issue.ts')).issueCommand },
  { name: 'keydb', summary: 'build key databases and truststores per component from the issued PKI', load: async () => (await import('./keydb.ts')).keydbCommand },
  { name: 'lsp', summary: 'run the language server on stdio for any editor', load: async () => (await import('./lsp.ts')).lspCommand },
  { name: 'rotate', summary: 'plan a CA rotation or certificate renewal in phases that break no connection', load: async () => (await import('./rotate.ts')).rotateCommand },
  { name: 'scan', summary: 'probe the live hosts of a topology and report where they differ from it', load: async () => (await import('./scan.ts')).scanCommand },
  { name: 'simulate', summary: 'rehearse every TLS connection on 127.0.0.1 and compare with the rules', load: async () => (await import('./simulate.ts')).simulateCommand },
];
