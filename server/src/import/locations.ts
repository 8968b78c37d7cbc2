// Where the files that matter live on a host, per platform, with the source of each location
// (shared/reference/ibm-sp-ssl-facts.md §3, sp-config-artifacts.md §0–§4). The collect script
// copies from these places; the importer never relies on them (it recognises files by name and
// content), so a file found elsewhere is read the same way.

export const PLATFORMS = ['linux', 'aix', 'windows'] as const;

export type Platform = (typeof PLATFORMS)[number];

export interface Locations {
  /** Directories holding BA-client / API options and dsmcert.kdb (every documented spelling). */
  clientDirs: string[];
  /** Per-user certificate folders, relative to each home directory (both spellings, §0.5). */
  userCertDirs: string[];
  /** Storage-agent directories (facts §3.3). */
  storageAgentDirs: string[];
  /** Operations Center Liberty server folders (facts §3.4, artifacts §4). */
  ocDirs: string[];
  /** Where server instance directories are looked for: each dir and its direct subfolders. */
  serverSearchDirs: string[];
  /** The hosts file, to resolve IP addresses in server definitions. */
  hostsFile: string;
}

/**
 * Linux and AIX differ by the product's base folder (/opt/tivoli/tsm, /usr/tivoli/tsm; facts §3.2,
 * §3.3); the Operations Center lies in <base>/ui (artifacts §4: base = server bin path minus /server/bin).
 */
function unix(base: string): Locations {
  return {
    clientDirs: [`${base}/client/ba/bin`, `${base}/client/ba/bin64`, `${base}/client/api/bin64`, `${base}/client/api/bin`],
    userCertDirs: ['IBM/StorageProtect/certs', 'IBM/SpectrumProtect/certs'],
    storageAgentDirs: [`${base}/StorageAgent/bin`],
    ocDirs: [`${base}/ui/Liberty/usr/servers/guiServer`],
    serverSearchDirs: [`${base}/server/bin`, '/home', '/tsm'],
    hostsFile: '/etc/hosts',
  };
}

export const LOCATIONS: Record<Platform, Locations> = {
  linux: unix('/opt/tivoli/tsm'),
  aix: unix('/usr/tivoli/tsm'),
  windows: {
    clientDirs: ['C:\\Program Files\\Tivoli\\TSM\\baclient', 'C:\\Program Files\\Common Files\\Tivoli\\TSM\\api64'],
    userCertDirs: ['IBM\\SpectrumProtect\\certs', 'IBM\\StorageProtect\\certs'],
    storageAgentDirs: ['C:\\Program Files\\Tivoli\\TSM\\StorageAgent'],
    ocDirs: ['C:\\Program Files\\Tivoli\\TSM\\ui\\Liberty\\usr\\servers\\guiServer'],
    serverSearchDirs: ['C:\\Program Files\\Tivoli\\TSM'],
    hostsFile: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
  },
};

/** Files copied from a client, storage-agent or server folder (never TSM.KDB, dsmkeydb.*, TSM.PWD). */
export const OPTION_FILES = ['dsm.sys', 'dsm.opt', 'dsmsta.opt', 'dsmserv.opt', 'tsmdbmgr.opt'];
export const KEYDB_FILES = ['dsmcert.kdb', 'spclicert.kdb', 'cert.kdb'];
/**
 * Copied only on request: the stashes unlock the key databases; the device configuration files
 * (storage agent name and server definitions) also hold passwords (SET STAKEYDBPW, SERVERPASSWORD=).
 */
export const STASH_FILES = ['dsmcert.sth', 'spclicert.sth', 'cert.sth', 'devconf.dat', 'devconfig.txt', 'devconfig.out'];

/**
 * The dsmadmc queries saved with credentials (artifacts §3, the queries IBM support collects).
 * Each is saved twice: `<stem>.csv` (-commadelimited) and `<stem>.txt` (the labelled form), because
 * the comma-delimited column order is documented only for the first fields of QUERY SERVER.
 */
export const DSMADMC_QUERIES: { stem: string; command: string }[] = [
  { stem: 'select-server-name', command: 'select SERVER_NAME from status' },
  { stem: 'query-server', command: 'query server format=detailed' },
  { stem: 'query-monitorsettings', command: 'query monitorsettings' },
  { stem: 'query-option-ldapurl', command: 'query option ldapurl' },
];

/** Upper bound on one collected file (the importer reads nothing larger either). */
export const MAX_COLLECTED_FILE_BYTES = 8 * 1024 * 1024;
