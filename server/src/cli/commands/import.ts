// `sptls import DIR|FILE... [--out FILE] [--force]`: collected files -> a .sptls topology
// (engine: server/src/import/engine.ts).
import { relative, resolve } from 'node:path';
import { importSummary, saveImport } from '../../import/save.ts';
import { safeText } from '../../import/text.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, flag, parseArgs, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls import DIR|FILE... [--out FILE] [--force]

Reads what 'sptls collect-script' gathered from the hosts of an existing environment (or loose
files) and writes a .sptls topology that 'sptls check' can judge. A folder holding
sptls-collect.txt is one host; below another folder each subfolder is a host.

Files are recognised by name and content, wherever they lie:
  dsmserv.opt        a server: TCPPORT, TCPADMINPORT, SSLTCPPORT, SSLTCPADMINPORT, LDAPURL;
                     options removed in 8.1.2 (SSLTLS12, SSLDISABLELEGACYTLS, …) mean a level
                     below 8.1.2; its Db2 is added, always plain
  dsmsta.opt         a storage agent and the server it serves (SERVERNAME)
  dsm.sys, dsm.opt   a client; each SERVERNAME stanza (Windows: each dsm*.opt) is a connection
                     from TCPSERVERADDRESS and TCPPORT; ENABLELANFREE with LANFREETCPSERVERADDRESS,
                     LANFREETCPPORT and LANFREESSL a LAN-free connection; TSMDBMGR stanzas skipped
  cert.kdb, dsmcert.kdb, spclicert.kdb   read with the .sth stash beside them: the certificate a
                     server presents and what each key database trusts, by certificate content
  TSM.KDB            the client password store: recognised and left alone
  *.p12 + bootstrap.properties   an Operations Center truststore (tsm.truststore.pswd)
  .arm/.pem/.crt/.der  certificates (cert256.arm: a server's certificate when cert.kdb is not
                     readable; an LDAP server's certificate matched by its name)
  dsmadmc outputs    select SERVER_NAME from status (names), query server (server -> server
                     connections; IP addresses resolved through a collected hosts file),
                     query monitorsettings (hub and spokes; the OC connects to the hub), query
                     option ldapurl; standard, detailed or -commadelimited
  gsk8capicmd -cert -list / -details listings: reported (labels are not trust)
  hosts              /etc/hosts or Windows' hosts file

Every statement names the files and lines it comes from. What the files do not say is a
comment, never a guess; conflicting files and key databases that could not be read (with what
would unlock them) are listed at the top of the file and on stderr.

Output: FILE (default imported.sptls) and one PEM file per distinct certificate in certs/ beside
it, referenced with 'certificate file' and 'ca X { file … }'. Existing files are not replaced
unless --force.

Options:
  --out FILE   the topology to write (default imported.sptls)
  --force      replace FILE and certificate files that exist

Examples:
  sptls import sptls-collect/ --out prod.sptls && sptls check prod.sptls

Exit status: 0 written, 2 usage or I/O error (nothing usable read, or a file exists).
`;

export const importCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { out: 'string', force: 'boolean' });
    if (parsed.positional.length === 0) throw new UsageError('expected at least one DIR or FILE');
    const out = resolve(io.cwd, flag(parsed, 'out') ?? 'imported.sptls');
    const force = flag(parsed, 'force') !== undefined;
    const saved = await saveImport(parsed.positional, io.cwd, { out, force });
    for (const s of saved.skipped) io.err(`sptls import: skipped ${safeText(s.file)}: ${safeText(s.reason)}\n`);
    if (!saved.ok) {
      const hint = saved.reason === 'exists' ? ' (give --force to replace it, or another --out)' : '';
      io.err(`sptls import: ${saved.message}${hint}\n`);
      return EXIT_USAGE;
    }
    const m = saved.result.model;
    for (const c of m.conflicts) io.err(`sptls import: conflict: ${c}\n`);
    for (const u of m.unread) io.err(`sptls import: unread: ${u}\n`);
    io.out(`${importSummary(saved.result, relative(io.cwd, out) || out)}\n`);
    return EXIT_OK;
  },
};
