/**
 * The links subscribers follow: confirm (expires after a week, so an old mail cannot activate an address
 * someone else typed long ago) and unsubscribe (never expires: it sits in every mail and must keep
 * working for as long as the mail is kept). Both are served by the subscribe API under `api/`.
 */
import { signToken, type TokenKeyring } from './tokens.js';

export const CONFIRM_TOKEN_DAYS = 7;
const DAY_SECONDS = 86_400;

export function confirmToken(ring: TokenKeyring, subscriberId: string, list: string, now: Date): string {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONFIRM_TOKEN_DAYS * DAY_SECONDS;
  return signToken(ring, { purpose: 'confirm', subscriberId, list, expiresAt });
}

export function unsubscribeToken(ring: TokenKeyring, subscriberId: string, list: string): string {
  return signToken(ring, { purpose: 'unsubscribe', subscriberId, list });
}

/** `siteUrl` ends in `/` (resolved config); tokens are base64url, safe in a query without escaping. */
export function confirmUrl(siteUrl: string, token: string): string {
  return `${siteUrl}api/confirm?token=${token}`;
}

export function unsubscribeUrl(siteUrl: string, token: string): string {
  return `${siteUrl}api/unsubscribe?token=${token}`;
}
