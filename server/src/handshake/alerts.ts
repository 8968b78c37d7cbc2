// TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2) and how OpenSSL, through
// Node, names a received one: ERR_SSL_<SSLV3|TLSV1|TLSV13|SSL/TLS>_ALERT_<NAME>
// (OpenSSL 3.5 writes SSL/TLS where older versions wrote SSLV3).
import type { TlsAlert } from './report.ts';

const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed',
  22: 'record_overflow', 30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate',
  42: 'bad_certificate', 43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired',
  46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied',
  50: 'decode_error', 51: 'decrypt_error', 60: 'export_restriction', 70: 'protocol_version',
  71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled',
  100: 'no_renegotiation', 109: 'missing_extension', 110: 'unsupported_extension',
  111: 'certificate_unobtainable', 112: 'unrecognized_name', 113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity', 116: 'certificate_required',
  120: 'no_application_protocol',
};

const BY_NAME = new Map(Object.entries(ALERTS).map(([n, name]) => [name, Number(n)]));

export function alertByNumber(n: number): TlsAlert {
  return { number: n, name: ALERTS[n] ?? `unknown_alert_${n}` };
}

/** The alert a Node/OpenSSL error code reports as received from the peer, if any. */
export function alertFromErrorCode(code: string | undefined): TlsAlert | undefined {
  const m = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13|SSL\/TLS)_ALERT_([A-Z_]+)$/.exec(code ?? '');
  if (!m) return undefined;
  const n = BY_NAME.get(m[1]!.toLowerCase());
  return n === undefined ? { number: -1, name: m[1]!.toLowerCase() } : alertByNumber(n);
}

/** Alerts with which servers turn a client away for its (missing) certificate. */
export const CLIENT_AUTH_ALERTS = new Set([40, 41, 42, 43, 44, 45, 46, 48, 49, 116]);
