// The wire contract between the sptls language server and any client: command ids,
// their arguments and results, the diagram request and the workspace-trust
// notification. Types and constants only, so the VS Code client can import it without
// pulling in the server (test/architecture.test.ts holds it to that). docs/editors.md
// shows how other editors call these.

/** `workspace/executeCommand` ids the server implements. Arguments: [uri, options?]. */
export const COMMANDS = {
  issueCertificates: 'sptls.issueCertificates',
  buildKeyDatabases: 'sptls.buildKeyDatabases',
  inspectKeyDatabase: 'sptls.inspectKeyDatabase',
  testHandshake: 'sptls.testHandshake',
  simulate: 'sptls.simulate',
  planRotation: 'sptls.planRotation',
  scanEnvironment: 'sptls.scanEnvironment',
  importEnvironment: 'sptls.importEnvironment',
  expiry: 'sptls.expiry',
  collectScript: 'sptls.collectScript',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Options of `sptls.testHandshake` (the code lens passes them after the document URI). */
export interface TestHandshakeOptions {
  /** 0-based line of the connection. */
  line: number;
  initiator: string;
  responder: string;
  /** The responder's `address`; absent when the topology gives none (the client asks, or the command refuses). */
  host?: string;
  /** The connection's `port`, else the responder's, else the product default; absent when none applies. */
  port?: number;
}

/** Options of `sptls.planRotation` (the lenses above each `ca` and `certificate` pass them after the document URI). */
export interface PlanRotationOptions {
  /** The CA or component whose certificate to rotate. */
  name: string;
  /** Absent: a `ca` is rotated, a component's certificate renewed. */
  kind?: 'ca' | 'certificate';
}

/** Options of `sptls.importEnvironment` (its first argument is the URI of a folder 'sptls collect-script' filled, or of one collected file). */
export interface ImportEnvironmentOptions {
  /** The topology to write (a file: URI); default imported.sptls beside the collected folder. */
  out?: string;
  /** Replace the topology and certificate files that exist (default: refuse). */
  force?: boolean;
}

/** The one argument of `sptls.collectScript` (it works on no document). */
export interface CollectScriptOptions {
  platform: 'linux' | 'aix' | 'windows';
  /** Also collect stash files and bootstrap.properties (they unlock the key databases). */
  includeStash?: boolean;
}

/** Options of `sptls.expiry` (after the topology document's URI); as `sptls expiry`'s flags. */
export interface ExpiryOptions {
  /** Only what ends within this many days (expired ones included). */
  within?: number;
  format?: 'text' | 'json' | 'ics';
  /** A folder (file: URI) of key databases collected from the hosts. */
  keydbs?: string;
  /** The instant days are counted from (ISO date); default now. */
  now?: string;
}

/** Options of `sptls.inspectKeyDatabase` (its first argument is the key database file's URI). */
export interface InspectOptions {
  /** A PKCS#12 password typed by the user; never stored. */
  password?: string;
}

/** What every command answers; clients show `text` (the first line is the verdict). */
export interface CommandResult {
  /** False when the command refused or part of the work failed. */
  ok: boolean;
  /** One line for a notification. */
  summary: string;
  /** The full result, as the CLI prints it. */
  text: string;
  /** URIs of files the command wrote (the server also asks the client to show the main one). */
  written: string[];
  /** Set when the command can run once the user supplies this option (inspect: a PKCS#12 password). */
  needs?: 'password';
}

/** `sptls/diagram` request: the SVG of an open (or saved) topology. */
export const DIAGRAM_REQUEST = 'sptls/diagram';

export interface DiagramParams {
  textDocument: { uri: string };
}

export interface Position {
  line: number;
  character: number;
}

/** One clickable element of the SVG (nodes and connections carry `data-id` = `id`), with its source range. */
export interface DiagramElement {
  id: string;
  /** UTF-16 offsets into the document the diagram was drawn from. */
  start: number;
  end: number;
  range: { start: Position; end: Position };
}

export interface DiagramResult {
  /** Document version the diagram was drawn from (null for a file read from disk). */
  version: number | null;
  /** No `<style>` inside: the client's page loads `css` (under its own CSP, e.g. a webview's nonce). */
  svg: string;
  /** The stylesheet of the SVG's classes; colours follow `--vscode-*` variables when present, fixed ones otherwise. */
  css: string;
  elements: DiagramElement[];
}

/** Client -> server notification when workspace trust changes (initial value: `initializationOptions.trusted`). */
export const WORKSPACE_TRUST_NOTIFICATION = 'sptls/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}
