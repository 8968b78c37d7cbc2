// `--format sarif`: a SARIF 2.1.0 log (OASIS), the input of GitHub code scanning and
// other CI dashboards. One run, the rules that fired, one result per diagnostic with
// its region in the topology file. Tests validate it against the official schema.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, type RuleId } from '../analysis/diagnostic.ts';
import { LEVEL, regionOf, type FileFindings } from './findings.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifTool {
  version: string;
  /** What the run looked at, e.g. "check" or "scan". */
  command: string;
}

/** A relative path as a URI reference (against %SRCROOT%), an absolute one as a file: URI. */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const encoded = path.replace(/\\/g, '/').split('/').filter((part) => part !== '.').map(encodeURIComponent).join('/');
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

export function renderSarif(files: FileFindings[], tool: SarifTool): string {
  const fired = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort() as RuleId[];
  const ruleIndex = new Map(fired.map((id, i) => [id, i]));
  const results = files.flatMap((f) => f.diagnostics.map((d) => {
    const r = regionOf(f.lines, d);
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: artifactUri(f.path), region: r } }],
    };
  }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'sptls',
          version: tool.version,
          rules: fired.map((id) => ({ id, defaultConfiguration: { level: LEVEL[RULES[id]] } })),
        },
      },
      automationDetails: { id: `sptls/${tool.command}/` },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
