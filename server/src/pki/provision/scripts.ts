// The create-keydb.sh / create-keydb.cmd scripts that build a GSKit key database on the
// component's host from the files `sptls keydb` wrote. Command lines follow
// shared/reference/ibm-sp-ssl-facts.md §6 and keydb-formats.md §3.
export interface GskitScript {
  /** "server SPHUB", for the header. */
  title: string;
  topologyName: string;
  /** Key database file name (cert.kdb, dsmcert.kdb, or the declared keydb). */
  dbFile: string;
  /** The file holding the key database password, or null with passwordEnv. */
  dbPasswordFile: string | null;
  /** Environment variable holding every password (--password-env); otherwise the .pw files. */
  passwordEnv?: string;
  trusted: Array<{ label: string; armFile: string }>;
  /** A server or storage agent: its key and chain to import and make the default. */
  pkcs12?: { file: string; passwordFile: string | null; label: string };
  /** A client: `dsmcert -add -server NAME -file F` lines, the client's own tool. */
  dsmcert?: Array<{ server: string; armFile: string }>;
}

const dbType = (file: string) => (/\.(p12|pfx)$/i.test(file) ? 'pkcs12' : 'cms');
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const cmd = (s: string) => `"${s.replace(/"/g, "'").replace(/%/g, '%%')}"`;

/**
 * The gsk8capicmd_64 arguments that build the key database, in order, for either shell:
 * `q` quotes a file name or label, `kdbPw`/`p12Pw` are the shell's password variables.
 */
function gskitSteps(s: GskitScript, q: (s: string) => string, kdbPw: string, p12Pw: string): string[] {
  return [
    `-keydb -create -db ${q(s.dbFile)} -pw "${kdbPw}" -type ${dbType(s.dbFile)} -stash`,
    ...s.trusted.map((t) => `-cert -add -db ${q(s.dbFile)} -stashed -label ${q(t.label)} -file ${q(t.armFile)} -format ascii`),
    ...(s.pkcs12 ? [
      `-cert -import -db ${q(s.pkcs12.file)} -pw "${p12Pw}" -type pkcs12 -target ${q(s.dbFile)} -target_stashed -target_type ${dbType(s.dbFile)} -label ${q(s.pkcs12.label)} -new_label ${q(s.pkcs12.label)}`,
      `-cert -setdefault -db ${q(s.dbFile)} -stashed -label ${q(s.pkcs12.label)}`,
    ] : []),
    `-cert -list -db ${q(s.dbFile)} -stashed`,
  ];
}

export function shellScript(s: GskitScript): string {
  const pw = (file: string | null) => (file ? `$(head -n 1 ${sh(file)})` : `\${${s.passwordEnv}:?set ${s.passwordEnv} to the key store password}`);
  const lines = [
    '#!/bin/sh',
    `# Creates ${s.dbFile} + its stash for ${s.title} (written by sptls keydb from ${s.topologyName}).`,
    '# Run it in this folder on the component\'s host; GSKit\'s gsk8capicmd_64 must be on PATH',
    '# (or set GSK=/path/to/gsk8capicmd_64). The passwords pass on the command line: GSKit has no other way.',
    'set -eu',
    'cd "$(dirname "$0")"',
    'GSK=${GSK:-gsk8capicmd_64}',
    ...(s.dsmcert ? ['MODE=${1:-gskit}   # gskit | dsmcert'] : []),
    `KDB_PW=${pw(s.dbPasswordFile)}`,
    ...(s.pkcs12 ? [`P12_PW=${pw(s.pkcs12.passwordFile)}`] : []),
  ];
  const gskit = gskitSteps(s, sh, '$KDB_PW', '$P12_PW').map((args) => `"$GSK" ${args}`);
  if (!s.dsmcert) return [...lines, ...gskit, ''].join('\n');
  const dsmcert = [
    ...s.dsmcert.map((d) => `dsmcert -add -server ${sh(d.server)} -file ${sh(d.armFile)}`),
    'dsmcert -list',
  ];
  return [
    ...lines,
    'if [ "$MODE" = dsmcert ]; then',
    '  # The client\'s own tool (8.1.2+); it creates dsmcert.kdb in the client directory.',
    ...dsmcert.map((l) => `  ${l}`),
    'else',
    ...gskit.map((l) => `  ${l}`),
    'fi',
    '',
  ].join('\n');
}

export function cmdScript(s: GskitScript): string {
  const pw = (name: string, file: string | null) => (file ? `set /p ${name}=<${cmd(file)}` : `set "${name}=%${s.passwordEnv}%"`);
  const lines = [
    '@echo off',
    `rem Creates ${s.dbFile} + its stash for ${s.title} (written by sptls keydb from ${s.topologyName}).`,
    'rem Run it in this folder; gsk8capicmd_64 must be on PATH (C:\\Program Files\\Common Files\\Tivoli\\TSM\\api64\\gsk8\\bin)',
    'rem or set GSK to its full path.',
    'setlocal',
    'cd /d "%~dp0"',
    'if "%GSK%"=="" set "GSK=gsk8capicmd_64"',
    pw('KDB_PW', s.dbPasswordFile),
    ...(s.pkcs12 ? [pw('P12_PW', s.pkcs12.passwordFile)] : []),
  ];
  const gskit = gskitSteps(s, cmd, '%KDB_PW%', '%P12_PW%').map((args) => `"%GSK%" ${args} || exit /b 1`);
  if (!s.dsmcert) return [...lines, ...gskit, ''].join('\r\n');
  return [
    ...lines,
    'if /i "%~1"=="dsmcert" goto dsmcert',
    ...gskit,
    'exit /b 0',
    ':dsmcert',
    'rem The client\'s own tool (8.1.2+); it creates dsmcert.kdb in the client directory.',
    ...s.dsmcert.map((d) => `dsmcert -add -server ${cmd(d.server)} -file ${cmd(d.armFile)} || exit /b 1`),
    'dsmcert -list',
    '',
  ].join('\r\n');
}
