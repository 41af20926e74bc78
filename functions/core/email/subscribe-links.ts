/**
 * The links subscribers follow: confirm (expires after a week, so an old mail cannot activate an address
 * someone else typed long ago, and names the subscription's generation, so a link from before an
 * unsubscribe cannot confirm the subscription a later subscribe opened) and unsubscribe (never expires:
 * it sits in every mail and must keep working for as long as the mail is kept, for every later
 * subscription of the address too, because stopping mail is never harmful). Both are served by the
 * subscribe API under `api/`.
 */
import { signToken, type TokenKeyring } from './tokens.js';

export const CONFIRM_TOKEN_DAYS = 7;
const DAY_SECONDS = 86_400;

/** The subscription a confirm link is for: the profile and its generation when the link was mailed. */
export interface Subscription {
  subscriberId: string;
  generation: number;
}

export function confirmToken(
  ring: TokenKeyring,
  subscription: Subscription,
  list: string,
  now: Date,
): string {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONFIRM_TOKEN_DAYS * DAY_SECONDS;
  const { subscriberId, generation } = subscription;
  return signToken(ring, { purpose: 'confirm', subscriberId, generation, list, expiresAt });
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
