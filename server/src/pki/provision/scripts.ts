// The create-keydb.sh / create-keydb.cmd scripts that build a GSKit key database on the
// component's host from the files `sptls keydb` wrote. Command lines follow
// shared/reference/ibm-sp-ssl-facts.md §6 and keydb-formats.md §3. Every value from the topology
// goes through escape.ts.
import { cmdComment, cmdLine, shArg, shComment, type CmdPart } from './escape.ts';

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

/** One argument of a step: an option word, a value from the topology, or a password. */
type Arg = string | { value: string } | { password: 'kdb' | 'p12' };
const v = (value: string): Arg => ({ value });
const KDB_PW: Arg = { password: 'kdb' };
const P12_PW: Arg = { password: 'p12' };

/** The gsk8capicmd_64 arguments that build the key database, in order, for either shell. */
function gskitSteps(s: GskitScript): Arg[][] {
  const db = v(s.dbFile);
  return [
    ['-keydb', '-create', '-db', db, '-pw', KDB_PW, '-type', dbType(s.dbFile), '-stash'],
    ...s.trusted.map((t): Arg[] => ['-cert', '-add', '-db', db, '-stashed', '-label', v(t.label), '-file', v(t.armFile), '-format', 'ascii']),
    ...(s.pkcs12 ? [
      ['-cert', '-import', '-db', v(s.pkcs12.file), '-pw', P12_PW, '-type', 'pkcs12', '-target', db, '-target_stashed', '-target_type', dbType(s.dbFile), '-label', v(s.pkcs12.label), '-new_label', v(s.pkcs12.label)],
      ['-cert', '-setdefault', '-db', db, '-stashed', '-label', v(s.pkcs12.label)],
    ] : []),
    ['-cert', '-list', '-db', db, '-stashed'],
  ];
}

const dsmcertSteps = (s: GskitScript): Arg[][] => [
  ...(s.dsmcert ?? []).map((d): Arg[] => ['-add', '-server', v(d.server), '-file', v(d.armFile)]),
  ['-list'],
];

const PW_VARIABLE = { kdb: 'KDB_PW', p12: 'P12_PW' } as const;

export function shellScript(s: GskitScript): string {
  const pw = (file: string | null) => (file ? `$(head -n 1 ${shArg(file)})` : `\${${s.passwordEnv}:?set ${s.passwordEnv} to the key store password}`);
  const word = (a: Arg) => (typeof a === 'string' ? a : 'value' in a ? shArg(a.value) : `"$${PW_VARIABLE[a.password]}"`);
  const lines = [
    '#!/bin/sh',
    `# Creates ${shComment(s.dbFile)} + its stash for ${shComment(s.title)} (written by sptls keydb from ${shComment(s.topologyName)}).`,
    '# Run it in this folder on the component\'s host; GSKit\'s gsk8capicmd_64 must be on PATH',
    '# (or set GSK=/path/to/gsk8capicmd_64). The passwords pass on the command line: GSKit has no other way.',
    'set -eu',
    'cd "$(dirname "$0")"',
    'GSK=${GSK:-gsk8capicmd_64}',
    ...(s.dsmcert ? ['MODE=${1:-gskit}   # gskit | dsmcert'] : []),
    `KDB_PW=${pw(s.dbPasswordFile)}`,
    ...(s.pkcs12 ? [`P12_PW=${pw(s.pkcs12.passwordFile)}`] : []),
  ];
  const gskit = gskitSteps(s).map((args) => ['"$GSK"', ...args.map(word)].join(' '));
  if (!s.dsmcert) return [...lines, ...gskit, ''].join('\n');
  const dsmcert = dsmcertSteps(s).map((args) => ['dsmcert', ...args.map(word)].join(' '));
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
  // Passwords are read into variables and used as !VAR!: delayed expansion happens after cmd has
  // parsed the line, so no character of a password can end the argument or start a command.
  // Password files are named by sptls (fileSafe: letters, digits, space . _ -), so plain quotes hold them.
  const pw = (name: string, file: string | null) => (file ? `set /p ${name}=<"${file}"` : `set "${name}=!${s.passwordEnv}!"`);
  const part = (a: Arg): CmdPart => (typeof a === 'string' ? { raw: a } : 'value' in a ? { literal: a.value } : { raw: `"!${PW_VARIABLE[a.password]}!"` });
  const lines = [
    '@echo off',
    `rem Creates ${cmdComment(s.dbFile)} + its stash for ${cmdComment(s.title)} (written by sptls keydb from ${cmdComment(s.topologyName)}).`,
    'rem Run it in this folder; gsk8capicmd_64 must be on PATH (C:\\Program Files\\Common Files\\Tivoli\\TSM\\api64\\gsk8\\bin)',
    'rem or set GSK to its full path.',
    'setlocal EnableExtensions DisableDelayedExpansion',
    // Before delayed expansion is on: a "!" in the folder's path must stay a "!".
    'cd /d "%~dp0"',
    'setlocal EnableDelayedExpansion',
    'if not defined GSK set "GSK=gsk8capicmd_64"',
    ...(s.passwordEnv ? [`if not defined ${s.passwordEnv} (echo set ${s.passwordEnv} to the key store password& exit /b 1)`] : []),
    pw('KDB_PW', s.dbPasswordFile),
    ...(s.pkcs12 ? [pw('P12_PW', s.pkcs12.passwordFile)] : []),
  ];
  const gskit = gskitSteps(s).map((args) => `${cmdLine('"!GSK!"', args.map(part))} || exit /b 1`);
  if (!s.dsmcert) return [...lines, ...gskit, ''].join('\r\n');
  const dsmcert = dsmcertSteps(s).map((args, i, all) => `${cmdLine('dsmcert', args.map(part))}${i < all.length - 1 ? ' || exit /b 1' : ''}`);
  return [
    ...lines,
    'if /i "%~1"=="dsmcert" goto dsmcert',
    ...gskit,
    'exit /b 0',
    ':dsmcert',
    'rem The client\'s own tool (8.1.2+); it creates dsmcert.kdb in the client directory.',
    ...dsmcert,
    '',
  ].join('\r\n');
}
