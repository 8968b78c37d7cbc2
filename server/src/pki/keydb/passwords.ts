// Random key-store passwords. The alphabet avoids characters that need quoting in shells,
// .properties files, dsmserv.opt and GSKit's -pw option, and look-alikes (0/O, 1/l/I).
import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.';

/** 24 characters ≈ 141 bits. Stash files limit passwords to 128 bytes. */
export function randomPassword(length = 24): string {
  if (!Number.isInteger(length) || length < 12 || length > 128) throw new RangeError('password length must be 12..128');
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
