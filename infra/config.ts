import { DEFAULT_CONFIG, resolveConfig } from '../functions/core/config.js';
import type { SiteConfig } from '../functions/core/model.js';
import {
  type CustomDomain,
  type DmarcConfig,
  parseCustomDomain,
  parseDmarc,
  parseRemovalPolicy,
  parseWaf,
  type RemovalSetting,
} from './deploy-config.js';

/** The `cdk.json` context key that holds the deployment's settings. */
export const CONFIG_CONTEXT_KEY = 'newsfeed';

export type { CustomDomain, DmarcConfig, RemovalSetting } from './deploy-config.js';

/** Deployment settings, validated; see `parseNewsfeedConfig` for the defaults. */
export interface NewsfeedConfig {
  siteTitle: string;
  description: string;
  /** Absolute https URL ending in `/`. Absent: the custom domain when set, else the CloudFront domain. */
  siteUrl?: string;
  /** BCP 47 language tag. */
  language: string;
  feedSize: number;
  maxArticleBytes: number;
  /** Where DLQ alarms are e-mailed; without it the alarm topic has no subscriber. */
  alarmEmail?: string;
  customDomain?: CustomDomain;
  /** Uploads the repository's `articles/` folder at deploy time (for demos; editors normally upload). */
  deployLocalArticles: boolean;
  /** How often the reconciler compares the bucket with the index. */
  reconcileIntervalMinutes: number;
  /** Email subscribers; absent: no email resources and no subscribe form. */
  email?: EmailConfig;
  /** A WAF web ACL (managed common rules, a rate limit on the API) on the distribution. */
  waf: boolean;
  /** What `cdk destroy` does with buckets, tables, secrets and log groups. */
  removalPolicy: RemovalSetting;
}

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
  maxStories: number;
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

/** A bad value in the `newsfeed` context; `key` is the dotted path of the offending setting. */
export class NewsfeedConfigError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
    this.name = 'NewsfeedConfigError';
  }
}

type Raw = Record<string, unknown>;

const KNOWN_KEYS = [
  'siteTitle',
  'description',
  'siteUrl',
  'language',
  'feedSize',
  'maxArticleBytes',
  'alarmEmail',
  'customDomain',
  'deployLocalArticles',
  'reconcileIntervalMinutes',
  'email',
  'waf',
  'removalPolicy',
] as const;

const EMAIL_KEYS = [
  'domain',
  'fromAddress',
  'fromName',
  'mailFromSubdomain',
  'hostedZoneId',
  'hostedZoneName',
  'schedule',
  'scheduleTimezone',
  'maxStories',
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
  maxStories: 10,
  confirmationsPerAddressPerDay: 3,
  subscribesPerSourcePerHour: 20,
  sendConcurrency: 2,
  listId: 'digest',
  originHeaderVersion: 1,
} as const;

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
// Six fields as EventBridge Scheduler wants them (minutes hours day-of-month month day-of-week year).
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const IANA_ZONE = /^(UTC|GMT|[A-Z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+){1,2})$/;
const LIST_ID = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
// A display name goes into a mail header: no line breaks or other control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(key: string, rule: string): never {
  throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY}.${key} ${rule}`, `${CONFIG_CONTEXT_KEY}.${key}`);
}

function text(raw: Raw, key: string, path: string, fallback: string, maxLength = 500): string {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    fail(path, `must be a non-empty string of at most ${maxLength} characters`);
  }
  return value.trim();
}

function optionalText(raw: Raw, key: string, path: string): string | undefined {
  return raw[key] === undefined ? undefined : text(raw, key, path, '');
}

function integer(raw: Raw, key: string, fallback: number, min: number, max: number, path = key): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function siteUrlOf(raw: Raw): string | undefined {
  const value = optionalText(raw, 'siteUrl', 'siteUrl');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail('siteUrl', `must be an absolute https URL, got "${value}"`);
  }
  // CloudFront redirects every http request, so an http feed URL would always cost a redirect.
  if (url.protocol !== 'https:') fail('siteUrl', `must be an absolute https URL, got "${value}"`);
  return value.endsWith('/') ? value : `${value}/`;
}

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

function emailOf(input: unknown, siteTitle: string): EmailConfig | undefined {
  if (input === undefined) return undefined;
  if (!isRecord(input)) fail('email', 'must be an object with at least domain');
  for (const key of Object.keys(input)) {
    if (!(EMAIL_KEYS as readonly string[]).includes(key)) {
      fail(`email.${key}`, `is not a known setting (known: ${EMAIL_KEYS.join(', ')})`);
    }
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

  const email: EmailConfig = {
    domain,
    fromAddress,
    fromName,
    mailFromSubdomain,
    schedule: scheduleOf(input),
    scheduleTimezone: timeZoneOf(input),
    maxStories: integer(input, 'maxStories', EMAIL_DEFAULTS.maxStories, 1, 30, 'email.maxStories'),
    confirmationsPerAddressPerDay: integer(
      input,
      'confirmationsPerAddressPerDay',
      EMAIL_DEFAULTS.confirmationsPerAddressPerDay,
      1,
      20,
      'email.confirmationsPerAddressPerDay',
    ),
    subscribesPerSourcePerHour: integer(
      input,
      'subscribesPerSourcePerHour',
      EMAIL_DEFAULTS.subscribesPerSourcePerHour,
      1,
      1000,
      'email.subscribesPerSourcePerHour',
    ),
    sendConcurrency: integer(
      input,
      'sendConcurrency',
      EMAIL_DEFAULTS.sendConcurrency,
      1,
      10,
      'email.sendConcurrency',
    ),
    listId,
    originHeaderVersion: integer(
      input,
      'originHeaderVersion',
      EMAIL_DEFAULTS.originHeaderVersion,
      1,
      999,
      'email.originHeaderVersion',
    ),
    dmarc: parseDmarc(input.dmarc, fail),
  };
  const hostedZone = hostedZoneOf(input, domain);
  if (hostedZone !== undefined) email.hostedZone = hostedZone;
  return email;
}

/**
 * Validates the `newsfeed` context value. Runs at synth time so that a typo fails `cdk synth`
 * with the offending key instead of deploying a half-configured stack.
 */
export function parseNewsfeedConfig(input: unknown = {}): NewsfeedConfig {
  // `cdk -c newsfeed=...` passes the value as a string, cdk.json as an object.
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY} must be a JSON object`, CONFIG_CONTEXT_KEY);
    }
  }
  if (!isRecord(raw))
    throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY} must be an object`, CONFIG_CONTEXT_KEY);
  for (const key of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      fail(key, `is not a known setting (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  const language = text(raw, 'language', 'language', DEFAULT_CONFIG.language, 35);
  if (!LANGUAGE_TAG.test(language)) fail('language', `must be a language tag such as "en" or "en-GB"`);
  const alarmEmail = optionalText(raw, 'alarmEmail', 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) fail('alarmEmail', 'must be an e-mail address');
  const deployLocalArticles = raw.deployLocalArticles ?? false;
  if (typeof deployLocalArticles !== 'boolean') fail('deployLocalArticles', 'must be true or false');

  const config: NewsfeedConfig = {
    siteTitle: text(raw, 'siteTitle', 'siteTitle', DEFAULT_CONFIG.title, 200),
    description: text(raw, 'description', 'description', DEFAULT_CONFIG.description, 1000),
    language,
    feedSize: integer(raw, 'feedSize', DEFAULT_CONFIG.feedSize, 1, 1000),
    maxArticleBytes: integer(raw, 'maxArticleBytes', DEFAULT_CONFIG.maxArticleBytes, 1024, 64 * 1024 * 1024),
    deployLocalArticles,
    reconcileIntervalMinutes: integer(raw, 'reconcileIntervalMinutes', 60, 1, 24 * 60),
    waf: parseWaf(raw.waf, fail),
    removalPolicy: parseRemovalPolicy(raw.removalPolicy, fail),
  };
  const siteUrl = siteUrlOf(raw);
  if (siteUrl !== undefined) config.siteUrl = siteUrl;
  if (alarmEmail !== undefined) config.alarmEmail = alarmEmail;
  const customDomain = parseCustomDomain(raw.customDomain, fail);
  if (customDomain !== undefined) config.customDomain = customDomain;
  const email = emailOf(raw.email, config.siteTitle);
  if (email !== undefined) config.email = email;
  return config;
}

/** Where CloudFront routes the subscribe API (the form, confirm and unsubscribe links). */
export const API_PATH_PATTERN = '/api/*';

/** The form's target, relative to the site URL. */
export const SUBSCRIBE_PATH = 'api/subscribe';

/**
 * The site config the publish function renders with. `siteUrl` may be a CDK token (the
 * CloudFront domain is only known at deploy time), so the core validator checks the other
 * fields against a placeholder URL and the real one is put back afterwards.
 */
export function toSiteConfig(config: NewsfeedConfig, siteUrl: string): SiteConfig {
  const resolved = resolveConfig({
    title: config.siteTitle,
    description: config.description,
    siteUrl: 'https://placeholder.invalid/',
    language: config.language,
    feedSize: config.feedSize,
    maxArticleBytes: config.maxArticleBytes,
    ...(config.email && { digest: { maxStories: config.email.maxStories } }),
  });
  const site: SiteConfig = { ...resolved, siteUrl };
  // Only with email: the form is the one visible sign of the feature, and it must not post into nothing.
  if (config.email) site.subscribeUrl = `${siteUrl}${SUBSCRIBE_PATH}`;
  return site;
}
