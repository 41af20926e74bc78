/**
 * Fixed-window counters against subscription bombing: subscribe requests per source per hour (the API)
 * and confirmation mails per address per day (the confirm mailer). Windows are UTC calendar hours and
 * days, so every function instance agrees on them without coordination.
 */
import { isIP } from 'node:net';
import type { RateCounter } from './subscriptions.js';

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 86_400;
/** An IPv6 host usually holds a whole /64: counting per address would let one host rotate freely. */
const IPV6_PREFIX_GROUPS = 4;

export function sourceCounter(source: string, limit: number, now: Date): RateCounter {
  const start = Math.floor(now.getTime() / 1000 / HOUR_SECONDS) * HOUR_SECONDS;
  return {
    scope: 'source',
    key: source,
    window: new Date(start * 1000).toISOString().slice(0, 13),
    limit,
    expiresAt: start + HOUR_SECONDS,
  };
}

export function confirmationCounter(subscriberId: string, limit: number, now: Date): RateCounter {
  const start = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
  return {
    scope: 'confirm',
    key: subscriberId,
    window: new Date(start * 1000).toISOString().slice(0, 10),
    limit,
    expiresAt: start + DAY_SECONDS,
  };
}

/** Seconds until the window of `counter` ends: the `Retry-After` of a refused request. */
export function secondsUntilReset(counter: RateCounter, now: Date): number {
  return Math.max(1, counter.expiresAt - Math.floor(now.getTime() / 1000));
}

/**
 * The rate-limit key of a request that came through CloudFront (`origin-check.ts`): the address in
 * `CloudFront-Viewer-Address` (`ip:port`, IPv6 without brackets), which CloudFront sets. Never the peer
 * address: behind CloudFront that is an edge server shared by many viewers. Without a well-formed
 * header (never the case through CloudFront) every such request shares the one key `unknown`, so a
 * missing header cannot be used to escape the limit. IPv6 is cut to its /64.
 */
export function requestSource(viewerAddress: string | undefined): string {
  const ip = viewerAddress === undefined ? undefined : ipOfViewerAddress(viewerAddress.trim());
  if (!ip) return 'unknown';
  return isIP(ip) === 6 ? ipv6Prefix(ip) : ip;
}

function ipOfViewerAddress(value: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1] : undefined;
  if (isIP(value)) return value;
  const colon = value.lastIndexOf(':');
  if (colon === -1 || !/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
  const ip = value.slice(0, colon);
  return isIP(ip) ? ip : undefined;
}

function ipv6Prefix(ip: string): string {
  const groups = expandIpv6(ip);
  return `${groups.slice(0, IPV6_PREFIX_GROUPS).join(':')}::/64`;
}

/** Eight lower-case hex groups without leading zeros; an embedded IPv4 tail becomes two groups. */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
