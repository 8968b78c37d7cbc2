// iCalendar (RFC 5545) for `sptls expiry --format ics`: one all-day event per certificate
// on its last valid day, with an alarm 30 days ahead and the rotation command in the
// description. Lines end in CRLF and fold at 75 octets (§3.1) without splitting a UTF-8
// character; TEXT values escape backslash, semicolon, comma and newlines (§3.3.11).
import { createHash } from 'node:crypto';
import type { ExpiryEntry } from './expiry.ts';

/** A TEXT value (§3.3.11). */
export function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** One content line folded at 75 octets: CRLF and a space before each continuation. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    // The first line holds 75 octets; each continuation 74 after its leading space.
    if (octets + n > (out.length === 0 ? 75 : 74)) { out.push(current); current = ''; octets = 0; }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');

export function renderIcs(entries: readonly ExpiryEntry[], options: { now: Date; shellCommand: (argv: string[]) => string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//sptls//sptls expiry//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  for (const e of entries) {
    const last = new Date(e.notAfter.getTime() - 1); // the last instant it is valid
    const next = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1));
    const what = e.kind === 'ca' ? `CA ${e.name}` : `the certificate of ${e.name}`;
    const command = options.shellCommand(e.rotate);
    const description = [
      `${what.charAt(0).toUpperCase()}${what.slice(1)} (${e.subject}) ends ${e.notAfter.toISOString()}.`,
      `Read from: ${e.source} ${e.where}`,
      `Presented by: ${e.presentedBy.join(', ') || 'none'}`,
      `Trusted by: ${e.trustedBy.join(', ') || 'none'}`,
      `Plan the rotation: ${command}`,
    ].join('\n');
    const uid = createHash('sha256').update(`${e.name}\n${e.source}\n${e.where}\n${e.notAfter.toISOString()}`).digest('hex').slice(0, 32);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid}@sptls`,
      `DTSTAMP:${stamp(options.now)}`,
      `DTSTART;VALUE=DATE:${day(last)}`,
      `DTEND;VALUE=DATE:${day(next)}`,
      `SUMMARY:${icsText(`Rotate ${what}: it expires`)}`,
      `DESCRIPTION:${icsText(description)}`,
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${icsText(`${what} expires in 30 days: ${command}`)}`,
      'TRIGGER:-P30D',
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
