// `--format github`: one workflow command per diagnostic, which GitHub Actions shows as
// an annotation on the line (`::error file=…,line=…::message`). Values are escaped the
// way the Actions toolkit escapes them: a message may hold anything but %, CR and LF;
// a property also not ',' or ':', which would end it.
import { LEVEL, regionOf, type FileFindings } from './findings.ts';

const COMMAND: Record<string, string> = { error: 'error', warning: 'warning', note: 'notice' };

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(files: FileFindings[]): string {
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const r = regionOf(f.lines, d);
      const props = [
        `file=${escapeProperty(f.path)}`, `line=${r.startLine}`, `endLine=${r.endLine}`,
        ...(r.startLine === r.endLine ? [`col=${r.startColumn}`, `endColumn=${r.endColumn}`] : [`col=${r.startColumn}`]),
        `title=${escapeProperty(`sptls ${d.code}`)}`,
      ];
      out.push(`::${COMMAND[LEVEL[d.severity]]} ${props.join(',')}::${escapeData(d.message)}\n`);
    }
  }
  return out.join('');
}
