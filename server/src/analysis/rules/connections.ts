// self-connection, connection-not-supported, tls-to-db2, ldap-requires-tls,
// duplicate-connection, missing-certificate, untrusted-responder, no-common-tls-version.
import type { Entity, Link } from '../model.ts';
import type { FixData } from '../diagnostic.ts';
import { scenarioFor, SUPPORTED_PAIRS } from '../product.ts';
import { acceptsTlsOnTcpPort, rangesOverlap, tlsRange } from '../versions.ts';
import { trustVerdict } from '../trust.ts';
import { article, describe, keydbOf, tlsCapCause, tlsCapFix, type RuleContext } from './context.ts';

export function checkConnections(ctx: RuleContext): void {
  const { model, report } = ctx;
  // initiator index × entity count + responder index: a number per pair, no string building.
  const seenPairs = new Set<number>();
  const width = model.entities.length;
  const missingReported = new Set<Entity>();
  for (const link of model.links) {
    const c = link.connection;
    if (link.from && link.to) {
      const pair = link.from.index * width + link.to.index;
      if (seenPairs.has(pair)) {
        report('duplicate-connection', c, `${link.from.name} -> ${link.to.name} is declared again; both are checked. Remove one of them.`);
      }
      seenPairs.add(pair);
    }
    switch (link.status) {
      case 'unresolved':
      case 'db2-plain':
        continue;
      case 'self':
        report('self-connection', c, `${c.from.text} -> ${c.from.text} connects a component to itself; remove it or name the other end.`);
        continue;
      case 'unsupported':
        report('connection-not-supported', c.from, unsupported(link.from!, link.to!), reverseData(link));
        continue;
      case 'tls-to-db2':
        report('tls-to-db2', c.from, `never use SSL/TLS from ${link.from!.name} to its Db2 instance ${link.to!.name}: the product does not support it. Mark the connection plain.`);
        continue;
      case 'ldap-plain':
        report('ldap-requires-tls', c.from, `${link.from!.name} authenticates passwords against LDAP ${link.to!.name}: that session must use TLS. Remove 'plain'.`);
        continue;
      case 'checked':
        if (link.tls) checkTlsSession(ctx, link, missingReported);
    }
  }
}

function checkTlsSession(ctx: RuleContext, link: Link, missingReported: Set<Entity>): void {
  const { report, chains } = ctx;
  const from = link.from!;
  const to = link.to!;
  const c = link.connection;
  if (!to.certificate) {
    if (!missingReported.has(to)) {
      missingReported.add(to);
      const cas = ctx.model.entities.filter((e) => e.kind === 'ca' && e.isFirst).map((e) => e.name);
      report('missing-certificate', to.decl.name!, `${describe(to)} answers TLS sessions (${from.name} -> ${to.name}) but has no certificate to present. Add 'certificate self-signed' or 'certificate signed-by <ca>'.`, { cas });
    }
  } else {
    const verdict = trustVerdict(from, to, chains);
    if (verdict.kind === 'untrusted') {
      report('untrusted-responder', c.from, `${from.name} cannot verify ${to.name}: ${verdict.reason} ${from.name}'s ${keydbOf(from)} must hold ${verdict.needs}. Add 'trusts ${verdict.suggestion}' to ${from.name}.`,
        { initiator: from.name, responder: to.name, trust: verdict.suggestion });
    }
  }
  checkSslPort(ctx, link);
  const a = tlsRange(from);
  const b = tlsRange(to);
  if (a && b && !a.empty && !b.empty && !rangesOverlap(a, b)) {
    const [low, high] = a.max < b.min ? [from, to] : [to, from];
    const lowRange = low === from ? a : b;
    const highRange = low === from ? b : a;
    report('no-common-tls-version', c.from, `${from.name} speaks TLS ${a.min}–${a.max} and ${to.name} TLS ${b.min}–${b.max}: no version in common, the handshake fails. ${tlsCapCause(low, lowRange.max)}Fix: ${tlsCapFix(low, lowRange.max)}, or lower ${high.name}'s tls-min to ${lowRange.max} (${highRange.min} now).`);
  }
}

function unsupported(from: Entity, to: Entity): string {
  const allowed = [...new Set(SUPPORTED_PAIRS.filter((p) => p.from === from.kind).map((p) => p.to))];
  const options = allowed.length ? `${article(from.kind)} ${from.kind} opens sessions only to ${allowed.join(', ')}` : `${article(from.kind)} ${from.kind} opens no sessions at all`;
  // The most common slip is the direction: the SSL client is the side that opens the session.
  const reverse = scenarioFor(to.kind, from.kind);
  const fix = reverse
    ? ` The product supports the other direction (${reverse.scenario}): write '${to.name} -> ${from.name}' if ${to.name} opens the sessions.`
    : ` Remove the connection, or name components of a supported pair.`;
  return `${from.name} -> ${to.name} (${article(from.kind)} ${from.kind} to ${article(to.kind)} ${to.kind}) is not in the product's table of SSL clients and servers: ${options}.${fix}`;
}

/** The reversed connection, for the quick fix, when the product supports it. */
function reverseData(link: Link): FixData | undefined {
  return scenarioFor(link.to!.kind, link.from!.kind) ? { initiator: link.to!.name, responder: link.from!.name } : undefined;
}

/**
 * ssl-port-required: below 8.1.2 (7.1.8 for V7) a server or storage agent takes TLS only
 * on its SSL-only port, so a TLS connection must reach that port (spec §5, v1.1).
 */
function checkSslPort({ report }: RuleContext, link: Link): void {
  const to = link.to!;
  if (to.kind !== 'server' && to.kind !== 'storage-agent') return;
  const version = to.props.get('version')?.values[0]?.text;
  if (version === undefined || acceptsTlsOnTcpPort(version)) return;
  const sslPort = to.props.get('ssl-port')?.values[0]?.text;
  const port = link.props.get('port')?.values[0]?.text;
  const c = link.connection;
  if (sslPort === undefined) {
    report('ssl-port-required', c.from, `${to.name} is at ${version}, which accepts TLS only on its SSL-only port (SSLTCPPORT), not on TCPPORT; it declares no ssl-port, so ${link.from!.name}'s TLS sessions have no port to reach. Set SSLTCPPORT on ${to.name} and declare it with 'ssl-port <n>', or upgrade ${to.name} to 8.1.2 or later (7.1.8 for V7).`);
  } else if (port !== undefined && Number(port) !== Number(sslPort)) {
    report('ssl-port-required', c.from, `${to.name} is at ${version}, which accepts TLS only on its SSL-only port ${sslPort}; ${link.from!.name} -> ${to.name} uses port ${port}. Use 'port ${sslPort}', or upgrade ${to.name} to 8.1.2 or later (7.1.8 for V7).`,
      { port: sslPort });
  }
}

