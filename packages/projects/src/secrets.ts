import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { InvalidInputError } from './errors.js';

/** Personal access tokens and deploy tokens start with these, so scanners and people can tell them apart. */
export const personalAccessTokenPrefix = 'ldpat-';
export const deployTokenPrefix = 'lddt-';

/** A new secret: the prefix and 32 random bytes, base64url (256 bits). */
export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * How a token is stored: SHA-256, hex. Tokens are 256 random bits, so a fast
 * hash is enough (nothing to brute-force) and lets a sign-in find its row by
 * index instead of comparing against every bcrypt hash.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A random password for an account nobody chose one for: 24 characters, URL-safe. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

export const minPasswordLength = 8;
/** bcrypt reads only the first 72 bytes; refuse longer rather than silently ignore the rest. */
export const maxPasswordBytes = 72;

export async function hashPassword(password: string, cost: number): Promise<string> {
  if (password.length < minPasswordLength) {
    throw new InvalidInputError('password', `must be at least ${minPasswordLength} characters`);
  }
  if (Buffer.byteLength(password) > maxPasswordBytes) {
    throw new InvalidInputError(
      'password',
      `must be at most ${maxPasswordBytes} bytes (bcrypt's limit)`,
    );
  }
  return bcrypt.hash(password, cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  // bcrypt compares the first 72 bytes only, so a stored 72-byte password would match itself
  // followed by anything. No longer password was ever taken: refuse (after comparing, so the
  // time taken says nothing).
  const matches = await bcrypt.compare(password, hash);
  return matches && Buffer.byteLength(password) <= maxPasswordBytes;
}
