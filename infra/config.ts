import { DEFAULT_CONFIG, resolveConfig } from '../functions/core/config.js';
import type { SiteConfig } from '../functions/core/model.js';

/** The `cdk.json` context key that holds the deployment's settings. */
export const CONFIG_CONTEXT_KEY = 'newsfeed';

export interface CustomDomain {
  /** Host name the site is served on, e.g. `news.example.org`. */
  domainName: string;
  /** ACM certificate for `domainName`; CloudFront only accepts certificates from us-east-1. */
  certificateArn: string;
}

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
] as const;

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const US_EAST_1_CERTIFICATE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

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

function integer(raw: Raw, key: string, fallback: number, min: number, max: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(key, `must be an integer from ${min} to ${max}`);
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

function customDomainOf(raw: Raw): CustomDomain | undefined {
  const value = raw.customDomain;
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail('customDomain', 'must be an object with domainName and certificateArn');
  for (const key of Object.keys(value)) {
    if (key !== 'domainName' && key !== 'certificateArn')
      fail(`customDomain.${key}`, 'is not a known setting');
  }
  const domainName = text(value, 'domainName', 'customDomain.domainName', '').toLowerCase();
  if (!HOST_NAME.test(domainName))
    fail('customDomain.domainName', `must be a host name, got "${domainName}"`);
  const certificateArn = text(value, 'certificateArn', 'customDomain.certificateArn', '');
  if (!US_EAST_1_CERTIFICATE.test(certificateArn)) {
    fail(
      'customDomain.certificateArn',
      'must be the ARN of an ACM certificate in us-east-1 (CloudFront requires it)',
    );
  }
  return { domainName, certificateArn };
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
  };
  const siteUrl = siteUrlOf(raw);
  if (siteUrl !== undefined) config.siteUrl = siteUrl;
  if (alarmEmail !== undefined) config.alarmEmail = alarmEmail;
  const customDomain = customDomainOf(raw);
  if (customDomain !== undefined) config.customDomain = customDomain;
  return config;
}

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
  });
  return { ...resolved, siteUrl };
}
