// The files a rotation writes besides the phase topologies: per phase, a POSIX shell
// script per host (and one for the workstation that stages the files each host needs),
// and STEPS.txt saying in which order to run them. Every string from the topology goes
// through the sh dialect of pki/provision/escape.ts (shArg, shComment), as sptls keydb's do.
import { shArg, shComment } from '../pki/provision/escape.ts';
import type { Arg, Command, HostSteps, Tool } from './steps.ts';

export interface WrittenFile {
  /** Relative to the rotation folder, '/'-separated. */
  path: string;
  content: string;
  executable?: boolean;
}

const TOOL_VAR: Record<Tool, string> = { gsk8capicmd_64: 'GSK', dsmcert: 'DSMCERT', keytool: 'KEYTOOL', dsmadmc: 'DSMADMC', sptls: 'SPTLS' };

function renderArg(a: Arg): string {
  return typeof a === 'string' ? shArg(a) : `"$(head -n 1 ${shArg(a.passwordFile)})"`;
}

function renderCommand(c: Command): string {
  // dsmadmc takes the administrator's credentials from the environment, never from this file.
  const pre = c.tool === 'dsmadmc' ? ' -id="${SPTLS_ADMIN_ID:?set SPTLS_ADMIN_ID}" -password="${SPTLS_ADMIN_PASSWORD:?set SPTLS_ADMIN_PASSWORD}" -dataonly=yes' : '';
  return `"$${TOOL_VAR[c.tool]}"${pre} ${c.args.map(renderArg).join(' ')}`;
}

const TOOLS_HEADER = [
  'GSK=${GSK:-gsk8capicmd_64}',
  'DSMCERT=${DSMCERT:-dsmcert}',
  'KEYTOOL=${KEYTOOL:-keytool}',
  'DSMADMC=${DSMADMC:-dsmadmc}',
  'SPTLS=${SPTLS:-sptls}',
];

/** The folder of a host's files inside the phase folder. */
export const hostFolder = (phaseId: string, host: string) => `${phaseId}/${host}`;

export function hostScript(phaseId: string, h: HostSteps): WrittenFile {
  const comment = (s: string) => `# ${shComment(s)}`;
  const lines = [
    '#!/bin/sh',
    comment(`sptls rotate, ${phaseId}: on ${h.title}.`),
    ...(h.host === null ? ['# Run it from anywhere; it works in the rotation folder.'] : ['# Copy the files of this folder into the folder that holds the key database on the host, and run it there.']),
    ...h.notes.map(comment),
    'set -eu',
    h.host === null ? 'cd "$(dirname "$0")/.."' : 'cd "$(dirname "$0")"',
    ...TOOLS_HEADER,
  ];
  if (h.host !== null) for (const s of h.stage) lines.push(`test -f ${shArg(s.file)} || { echo ${shArg(`${s.file} is missing: run ${phaseId}/sptls.sh first`)} >&2; exit 1; }`);
  lines.push(...h.commands.map(renderCommand));
  for (const f of h.bringBack) lines.push(`echo ${shArg(`copy ${f} back into the rotation folder before the next step`)}`);
  if (h.restart) lines.push(`echo ${shArg(`now restart ${h.restart}`)}`);
  lines.push('');
  return { path: h.host === null ? `${phaseId}/sptls.sh` : `${hostFolder(phaseId, h.host)}/run.sh`, content: lines.join('\n'), executable: true };
}

/** The workstation's staging lines: each host's files copied into its folder. */
export function stagingCommands(phaseId: string, hosts: readonly HostSteps[]): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    if (h.host === null || h.stage.length === 0) continue;
    const dir = hostFolder(phaseId, h.host);
    out.push(`mkdir -p ${shArg(dir)}`);
    for (const s of h.stage) out.push(`cp ${shArg(s.source)} ${shArg(`${dir}/${s.file}`)}`);
  }
  return out;
}

/** Every script of a phase, the workstation's with its staging, and STEPS.txt. */
export function phaseFiles(phaseId: string, title: string, hosts: readonly HostSteps[]): WrittenFile[] {
  const staging = stagingCommands(phaseId, hosts);
  const withWorkstation = staging.length > 0 && !hosts.some((h) => h.host === null)
    ? [...hosts.filter((h) => h.bringBack.length > 0), { host: null, title: 'the workstation that runs sptls (in the rotation folder)', stage: [], commands: [], bringBack: [], restart: null, notes: [] } as HostSteps, ...hosts.filter((h) => h.bringBack.length === 0)]
    : hosts;
  const files = withWorkstation.map((h) => {
    const f = hostScript(phaseId, h);
    if (h.host !== null || staging.length === 0) return f;
    return { ...f, content: f.content.replace(/\n$/, `\n${staging.join('\n')}\n`) };
  });
  const order = withWorkstation.map((h, i) => `${i + 1}. ${h.host === null ? `${phaseId}/sptls.sh` : `${hostFolder(phaseId, h.host)}/run.sh`}  — ${h.title}${h.restart ? `; then restart ${h.restart}` : ''}`);
  files.push({
    path: `${phaseId}/STEPS.txt`,
    content: [`${phaseId}: ${title}.`, '', 'Run in this order (a host\'s folder is copied to it first):', ...order, '',
      `When every step is done, ${phaseId}.sptls describes the environment: check it with 'sptls check ${phaseId}.sptls'.`, ''].join('\n'),
  });
  return files;
}
