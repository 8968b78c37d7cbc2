// Every command the server executes (`workspace/executeCommand`), advertised at
// initialize. Adding one is one entry: its id (protocol/index.ts), title, whether it
// needs a trusted workspace, and its module. docs/ARCHITECTURE.md "Adding a command".
import { COMMANDS } from '../../../../protocol/index.ts';
import type { CommandEntry } from './registry.ts';

export const commandEntries: readonly CommandEntry[] = [
  { id: COMMANDS.issueCertificates, title: 'Issue certificates', needsTrust: true, load: async () => (await import('./issue.ts')).issueCertificates },
  { id: COMMANDS.buildKeyDatabases, title: 'Build key databases', needsTrust: true, load: async () => (await import('./keydb.ts')).buildKeyDatabases },
  // Reads key material and asks for passwords: as guarded as the commands that write it.
  { id: COMMANDS.inspectKeyDatabase, title: 'Inspect key database', needsTrust: true, load: async () => (await import('./inspect.ts')).inspectKeyDatabase },
  { id: COMMANDS.testHandshake, title: 'Test handshake', needsTrust: true, load: async () => (await import('./handshake.ts')).testHandshakeCommand },
  { id: COMMANDS.simulate, title: 'Simulate topology', needsTrust: true, load: async () => (await import('./simulate.ts')).simulateCommand },
  { id: COMMANDS.planRotation, title: 'Plan rotation', needsTrust: true, load: async () => (await import('./rotate.ts')).planRotationCommand },
  { id: COMMANDS.scanEnvironment, title: 'Scan environment', needsTrust: true, load: async () => (await import('./scan.ts')).scanEnvironmentCommand },
  // Reads outside files the client names, key databases with their stashes among them, and writes a topology.
  { id: COMMANDS.importEnvironment, title: 'Import environment', needsTrust: true, load: async () => (await import('./import.ts')).importEnvironmentCommand },
  // Writes nothing, but with keydbs it opens key databases through their stashes, as inspect does.
  { id: COMMANDS.expiry, title: 'List certificate expiry', needsTrust: true, load: async () => (await import('./expiry.ts')).expiryCommand },
  // Text only: reads and writes nothing, so an untrusted workspace may have it.
  { id: COMMANDS.collectScript, title: 'Collection script', needsTrust: false, load: async () => (await import('./collect-script.ts')).collectScriptCommand },
];
