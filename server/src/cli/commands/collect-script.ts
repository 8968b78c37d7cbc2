// `sptls collect-script --platform linux|aix|windows [--include-stash]`: prints the read-only
// collection script (engine: server/src/import/collect-script.ts).
import { collectScript, STASH_WARNING } from '../../import/collect-script.ts';
import { PLATFORMS, type Platform } from '../../import/locations.ts';
import { EXIT_OK, UsageError, flag, parseArgs, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls collect-script --platform linux|aix|windows [--include-stash]

Prints a read-only script to run on each host of an existing environment (sh for linux and
aix, PowerShell for windows). It copies the files sptls import reads from their documented
locations into OUTDIR/<host>/ (default ./sptls-collect), keeping their paths:

  server instance folders   dsmserv.opt, tsmdbmgr.opt, cert.kdb, *.arm (found by dsmserv.opt
                            under the server bin folder, /home, /tsm and every home directory)
  BA client and API         dsm.sys, dsm.opt, dsmcert.kdb, spclicert.kdb, *.arm in every
                            documented folder (ba/bin, ba/bin64, api/bin64, api/bin, DSM_DIR,
                            DSMI_DIR, PASSWORDDIR, ~/IBM/StorageProtect/certs and
                            ~/IBM/SpectrumProtect/certs; Windows baclient, api64, Nodes\\*)
  storage agent             dsmsta.opt, cert.kdb, *.arm
  Operations Center         the truststores (*.p12, *.jks) of the Liberty guiServer folder
  the hosts file            to resolve IP addresses in server definitions

Files larger than 8 MiB and symbolic links are skipped; OUTDIR/<host>/sptls-collect.txt lists
what was copied. The script writes nothing outside OUTDIR. It never copies TSM.KDB (node
passwords), dsmkeydb.* (the master key) or TSM.PWD.

With credentials in environment variables it also saves 'dsmadmc -dataonly=yes
-commadelimited' outputs (.csv) of: select SERVER_NAME from status, query server
format=detailed, query monitorsettings, query option ldapurl, and the same queries in the
labelled form (.txt), which import reads by label (the comma-delimited column order of
QUERY MONITORSETTINGS is not documented) (in OUTDIR/<host>/dsmadmc/):
  SPTLS_ADMIN_CREDENTIALSFILE=FILE   (server 8.1.20 and later), or
  SPTLS_ADMIN_ID and SPTLS_ADMIN_PASSWORD (the password is on dsmadmc's command line while
                                     it runs); SPTLS_ADMIN_SERVERNAME picks the dsm.sys stanza

Options:
  --platform linux|aix|windows   the host's platform (required)
  --include-stash                also copy the stash files (cert.sth, dsmcert.sth,
                                 spclicert.sth) and the Operations Center's
                                 bootstrap.properties, so that import can read the key
                                 databases, and the device configuration files
                                 (devconf.dat, devconfig.txt: storage agent names and
                                 server definitions). They unlock those databases or
                                 hold passwords: the script and this command print a
                                 warning.

Examples:
  sptls collect-script --platform linux > sptls-collect.sh    # then on each host: sh sptls-collect.sh
  sptls collect-script --platform windows --include-stash > sptls-collect.ps1

Exit status: 0 printed, 2 usage error.
`;


export const collectScriptCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { platform: 'string', 'include-stash': 'boolean' });
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument '${parsed.positional[0]}'`);
    const platform = flag(parsed, 'platform');
    if (platform === undefined) throw new UsageError('--platform linux|aix|windows is required');
    if (!PLATFORMS.includes(platform as Platform)) throw new UsageError(`--platform must be linux, aix or windows, not "${platform}"`);
    const includeStash = flag(parsed, 'include-stash') !== undefined;
    if (includeStash) io.err(`sptls collect-script: ${STASH_WARNING}\n`);
    io.out(collectScript(platform as Platform, { includeStash }));
    return EXIT_OK;
  },
};
