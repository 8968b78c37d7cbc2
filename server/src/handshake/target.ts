// HOST:PORT as people type it (the CLI argument, the editor's input box): one reading
// for both, so `sptls handshake` and the editor command accept the same addresses.

/** Splits HOST:PORT, accepting [IPv6]:PORT; a string says why the text is not one. */
export function splitTarget(text: string): { host: string; port: number } | string {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) return `'${text}' is not HOST:PORT (write IPv6 addresses as [::1]:PORT)`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${m[2]} is outside 1..65535`;
  return { host: m[1]!, port };
}
