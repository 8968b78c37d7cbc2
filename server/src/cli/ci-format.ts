// The `--format sarif|github` switch that `check` and `scan` share.
import type { FileFindings } from '../ci/findings.ts';
import { renderGithub } from '../ci/github.ts';
import { renderSarif } from '../ci/sarif.ts';
import { VERSION } from './version.ts';

export type CiFormat = 'sarif' | 'github';

export function isCiFormat(format: string): format is CiFormat {
  return format === 'sarif' || format === 'github';
}

export function renderCi(format: CiFormat, files: FileFindings[], command: string): string {
  return format === 'sarif' ? renderSarif(files, { version: VERSION, command }) : renderGithub(files);
}
