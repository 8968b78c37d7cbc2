// issuer-unknown, issuer-mismatch, validity-exceeds-issuer (spec v1.1): whether each
// certificate is really tied to the CA its chain goes through.
import type { Value } from '../../../../grammar/src/index.ts';
import { dnKey } from '../dn.ts';
import { lifetimeOf } from '../lifetimes.ts';
import type { Entity } from '../model.ts';
import type { RuleContext } from './context.ts';

export function checkIssuers(ctx: RuleContext): void {
  for (const e of ctx.model.entities) {
    if (e.kind !== 'ca' && !e.certificate) continue;
    checkIssuerLink(ctx, e);
    checkLifetime(ctx, e);
  }
}

/** The `file` value a certificate is read from, if it is. */
function fileValue(e: Entity): Value | undefined {
  return e.kind === 'ca' ? e.props.get('file')?.values[0] : e.certificate?.file ?? undefined;
}

/** The `signed-by` reference naming a certificate's issuer, if one does. */
function signedByValue(e: Entity): Value | undefined {
  return e.kind === 'ca' ? e.props.get('signed-by')?.values[0] : e.certificate?.issuer ?? undefined;
}

function checkIssuerLink({ chains, report }: RuleContext, e: Entity): void {
  const link = chains.issuerOf(e);
  const file = fileValue(e);
  const own = e.kind === 'ca' ? `CA ${e.name}` : `${e.name}'s certificate`;
  if (link.kind === 'unknown' && file) {
    report('issuer-unknown', file, `"${file.text}" (${own}) was issued by "${link.dn}", and no ca of this file has that DN: its chain cannot reach a root, and initiators trust it only by trusting ${e.name} itself. Declare that CA with its certificate file, e.g. 'ca ${suggestedName(link.dn)} { file "…" }'.`);
    return;
  }
  if (link.kind !== 'ca' || !file) return;
  const info = chains.fileCertificate(e);
  if (!info) return;
  const by = signedByValue(e);
  if (link.by === 'signed-by' && by) {
    // A CA with both signed-by and a file: the file must say the same (spec §4.2 v1.1).
    const issuerDn = chains.caDnKey(link.ca);
    if (issuerDn !== null && issuerDn !== dnKey(info.issuer)) {
      report('issuer-mismatch', by, `${own} names ${link.ca.name} as its issuer, but "${file.text}" was issued by "${info.issuer}", not by ${link.ca.name}: the chain the product builds does not go through ${link.ca.name}. Name the CA that issued it in signed-by, or use the certificate ${link.ca.name} issued.`);
      return;
    }
  }
  if (link.signature === 'failed') {
    const where = link.by === 'signed-by' && by ? by : file;
    report('issuer-mismatch', where, `the signature of "${file.text}" (${own}) does not verify with the key of ${link.ca.name}'s certificate: ${link.ca.name} (or a re-keyed CA of the same name) did not issue it, and handshakes through it fail. Declare the CA certificate that signed it, or reissue ${e.name} from ${link.ca.name}.`);
  }
}

function checkLifetime({ chains, report, now }: RuleContext, e: Entity): void {
  const link = chains.issuerOf(e);
  if (link.kind !== 'ca') return;
  // Lifetimes through a CA whose chain is broken are not judged (spec §5.1 v1.1).
  if (chains.chainOfCa(link.ca).broken) return;
  const child = lifetimeOf(e, chains, now);
  const issuer = lifetimeOf(link.ca, chains, now);
  if (!child?.end || !issuer?.end) return;
  // Two files compare notAfter dates; a declared certificate under a file CA starts now.
  if (child.fromFile && !issuer.fromFile) return;
  if (child.end.getTime() <= issuer.end.getTime()) return;
  const anchor = child.fromFile ? fileValue(e) : child.declared?.values[0] ?? signedByValue(e);
  if (!anchor) return;
  const own = e.kind === 'ca' ? `CA ${e.name}` : `${e.name}'s certificate`;
  const fix = child.fromFile
    ? `Reissue it to end by ${issuer.end.toISOString().slice(0, 10)}, or renew ${link.ca.name} first.`
    : `Shorten it to at most ${issuer.text}${issuer.fromFile ? ` from now` : ''} with 'valid', or lengthen ${link.ca.name}'s.`;
  // A declared `valid` under a declared issuer has a mechanical fix: the issuer's lifetime.
  const data = child.declared && !issuer.fromFile ? { validity: issuer.text } : undefined;
  const consequence = child.fromFile
    ? `from ${issuer.end.toISOString().slice(0, 10)} its chain no longer verifies`
    : 'sptls issue ends it with its issuer';
  report('validity-exceeds-issuer', anchor, `${own} (${child.text}) would outlive its issuer ${link.ca.name} (${issuer.text}): a certificate is not valid after its issuer's certificate ends, so ${consequence}. ${fix}`, data);
}

/** A name for the missing CA, from the CN of its DN ("CN=Dune Root CA,…" → DuneRootCA). */
function suggestedName(dn: string): string {
  const cn = /(?:^|[,\n])\s*CN\s*=\s*([^,\n]+)/i.exec(dn)?.[1] ?? 'IssuingCA';
  const name = cn.replace(/[^A-Za-z0-9_]+/g, '');
  return /^[A-Za-z_]/.test(name) ? name : `CA${name}`;
}
