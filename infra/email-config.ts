/**
 * The `newsfeed.email` block of the deployment config: its keys, defaults (shared with the
 * functions' contracts) and validation, in the words and with the helpers of `config.ts`.
 */

import { isRecord } from '../functions/core/config-schema.js';
import { ENV_DEFAULTS } from '../functions/handlers/contracts.js';
import {
  CONTROL,
  CRON,
  DNS_LABEL,
  EMAIL,
  fail,
  HOST_NAME,
  HOSTED_ZONE_ID,
  IANA_ZONE,
  integer,
  LIST_ID,
  optionalText,
  RATE,
  type Raw,
  text,
} from './config-fields.js';
import { type DmarcConfig, parseDmarc } from './deploy-config.js';

/** The `newsfeed.email` block, validated, with its defaults filled in. */
export interface EmailConfig {
  /** The SES sending identity (verified with Easy DKIM), e.g. `example.org`. */
  domain: string;
  /** An address at `domain`; default `news@<domain>`. */
  fromAddress: string;
  /** Display name of the sender; default the site title. */
  fromName: string;
  /** MAIL FROM label: bounces return to `<mailFromSubdomain>.<domain>` (SPF alignment); default `mail`. */
  mailFromSubdomain: string;
  /** The Route 53 zone that holds `domain`: the DKIM and MAIL FROM records are created in it when given. */
  hostedZone?: { id: string; name: string };
  /** EventBridge Scheduler expression, `cron(...)` or `rate(...)`; default daily at 07:00. */
  schedule: string;
  /** IANA time zone the cron expression is read in; default `UTC`. */
  scheduleTimezone: string;
  confirmationsPerAddressPerDay: number;
  subscribesPerSourcePerHour: number;
  /** Concurrent sender invocations; the account's send rate is shared among them. */
  sendConcurrency: number;
  /** The list the tokens name (`List-Id`); default `digest`. */
  listId: string;
  /**
   * Which value of the origin secret (`h<N>`) CloudFront sends to the subscribe API; default 1. Raised
   * by one to rotate it (README).
   */
  originHeaderVersion: number;
  /** The DMARC record at `_dmarc.<domain>`: created in the zone when given, else listed in the outputs. */
  dmarc: DmarcConfig;
}

const EMAIL_KEYS = [
  'domain',
  'fromAddress',
  'fromName',
  'mailFromSubdomain',
  'hostedZoneId',
  'hostedZoneName',
  'schedule',
  'scheduleTimezone',
  'confirmationsPerAddressPerDay',
  'subscribesPerSourcePerHour',
  'sendConcurrency',
  'listId',
  'originHeaderVersion',
  'dmarc',
] as const;

export const EMAIL_DEFAULTS = {
  mailFromSubdomain: 'mail',
  schedule: 'cron(0 7 * * ? *)',
  scheduleTimezone: 'UTC',
  confirmationsPerAddressPerDay: Number(ENV_DEFAULTS.CONFIRMATIONS_PER_ADDRESS_PER_DAY),
  subscribesPerSourcePerHour: Number(ENV_DEFAULTS.SUBSCRIBES_PER_SOURCE_PER_HOUR),
  sendConcurrency: Number(ENV_DEFAULTS.SEND_CONCURRENCY),
  listId: ENV_DEFAULTS.LIST_ID,
  originHeaderVersion: 1,
} as const;

function scheduleOf(raw: Raw): string {
  const value = text(raw, 'schedule', 'email.schedule', EMAIL_DEFAULTS.schedule, 200);
  const rate = RATE.exec(value);
  if (rate) {
    // EventBridge wants the singular unit for 1 and the plural otherwise.
    const [, count, unit = ''] = rate;
    if (Number(count) < 1 || (Number(count) === 1) !== !unit.endsWith('s')) {
      fail('email.schedule', `must say "rate(1 day)" or "rate(2 days)", got "${value}"`);
    }
    return value;
  }
  if (!CRON.test(value)) {
    fail('email.schedule', `must be a "cron(...)" expression with six fields or "rate(...)", got "${value}"`);
  }
  return value;
}

function timeZoneOf(raw: Raw): string {
  const value = text(raw, 'scheduleTimezone', 'email.scheduleTimezone', EMAIL_DEFAULTS.scheduleTimezone, 64);
  let known = IANA_ZONE.test(value);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    known = false;
  }
  if (!known)
    fail('email.scheduleTimezone', `must be an IANA time zone such as "Europe/Berlin", got "${value}"`);
  return value;
}

function hostedZoneOf(raw: Raw, domain: string): EmailConfig['hostedZone'] {
  const id = optionalText(raw, 'hostedZoneId', 'email.hostedZoneId');
  const givenName = optionalText(raw, 'hostedZoneName', 'email.hostedZoneName');
  if (id === undefined && givenName === undefined) return undefined;
  if (id === undefined) fail('email.hostedZoneId', 'is required with newsfeed.email.hostedZoneName');
  if (givenName === undefined) fail('email.hostedZoneName', 'is required with newsfeed.email.hostedZoneId');
  if (!HOSTED_ZONE_ID.test(id)) fail('email.hostedZoneId', `must be a Route 53 hosted zone id, got "${id}"`);
  const name = givenName.toLowerCase().replace(/\.$/, '');
  if (!HOST_NAME.test(name)) fail('email.hostedZoneName', `must be a domain name, got "${givenName}"`);
  if (domain !== name && !domain.endsWith(`.${name}`)) {
    fail('email.hostedZoneName', `must be ${domain} or a parent of it, got "${givenName}"`);
  }
  return { id, name };
}

/** Runs one field's read, recording a broken rule and going on with `fallback` (`parseNewsfeedConfig`'s). */
export type FieldCheck = <T>(read: () => T, fallback: T) => T;

export function emailOf(
  input: unknown,
  siteTitle: string,
  check: FieldCheck = (read) => read(),
): EmailConfig | undefined {
  if (input === undefined) return undefined;
  if (!isRecord(input)) fail('email', 'must be an object with at least domain');
  for (const key of Object.keys(input)) {
    check(() => {
      if (!(EMAIL_KEYS as readonly string[]).includes(key)) {
        fail(`email.${key}`, `is not a known setting (known: ${EMAIL_KEYS.join(', ')})`);
      }
    }, undefined);
  }
  if (input.domain === undefined) fail('email.domain', 'is required: the domain mail is sent from');
  const domain = text(input, 'domain', 'email.domain', '', 253).toLowerCase();
  if (!HOST_NAME.test(domain)) fail('email.domain', `must be a domain name, got "${domain}"`);

  const fromAddress = text(input, 'fromAddress', 'email.fromAddress', `news@${domain}`, 254);
  const at = fromAddress.lastIndexOf('@');
  // The IAM grant names the domain identity only, so a sender elsewhere could not send.
  if (!EMAIL.test(fromAddress) || fromAddress.slice(at + 1).toLowerCase() !== domain) {
    fail('email.fromAddress', `must be an address at ${domain}, got "${fromAddress}"`);
  }
  const fromName = text(input, 'fromName', 'email.fromName', siteTitle, 100);
  if (CONTROL.test(fromName)) fail('email.fromName', 'must not contain line breaks or control characters');
  const mailFromSubdomain = text(
    input,
    'mailFromSubdomain',
    'email.mailFromSubdomain',
    EMAIL_DEFAULTS.mailFromSubdomain,
    63,
  ).toLowerCase();
  if (!DNS_LABEL.test(mailFromSubdomain) || !HOST_NAME.test(`${mailFromSubdomain}.${domain}`)) {
    fail('email.mailFromSubdomain', `must be one DNS label such as "mail", got "${mailFromSubdomain}"`);
  }
  const listId = text(input, 'listId', 'email.listId', EMAIL_DEFAULTS.listId, 64);
  if (!LIST_ID.test(listId)) {
    fail('email.listId', `must be lower-case letters, digits and inner hyphens, got "${listId}"`);
  }

  // The path is always `email.<key>`.
  const count = (key: keyof typeof EMAIL_DEFAULTS, min: number, max: number) => {
    const fallback = Number(EMAIL_DEFAULTS[key]);
    return check(() => integer(input, key, fallback, min, max, `email.${key}`), fallback);
  };
  const email: EmailConfig = {
    domain,
    fromAddress,
    fromName,
    mailFromSubdomain,
    schedule: check(() => scheduleOf(input), EMAIL_DEFAULTS.schedule),
    scheduleTimezone: check(() => timeZoneOf(input), EMAIL_DEFAULTS.scheduleTimezone),
    confirmationsPerAddressPerDay: count('confirmationsPerAddressPerDay', 1, 20),
    subscribesPerSourcePerHour: count('subscribesPerSourcePerHour', 1, 1000),
    sendConcurrency: count('sendConcurrency', 1, 10),
    listId,
    originHeaderVersion: count('originHeaderVersion', 1, 999),
    dmarc: check(() => parseDmarc(input.dmarc, fail), { policy: 'none' }),
  };
  const hostedZone = check(() => hostedZoneOf(input, domain), undefined);
  if (hostedZone !== undefined) email.hostedZone = hostedZone;
  return email;
}
