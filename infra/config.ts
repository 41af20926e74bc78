import { DEFAULT_CONFIG, resolveConfig } from '../functions/core/config.js';
import { isRecord } from '../functions/core/config-schema.js';
import type { SiteConfig } from '../functions/core/model.js';
import { websubOf } from '../functions/core/websub-config.js';
import {
  CONFIG_CONTEXT_KEY,
  EMAIL,
  fail,
  integer,
  LANGUAGE_TAG,
  NewsfeedConfigError,
  optionalText,
  type Raw,
  text,
} from './config-fields.js';
import {
  type CustomDomain,
  parseCustomDomain,
  parseRemovalPolicy,
  parseWaf,
  type RemovalSetting,
} from './deploy-config.js';
import { type EmailConfig, emailOf } from './email-config.js';

export { CONFIG_CONTEXT_KEY, NewsfeedConfigError } from './config-fields.js';
export type { CustomDomain, DmarcConfig, RemovalSetting } from './deploy-config.js';
export { EMAIL_DEFAULTS, type EmailConfig } from './email-config.js';

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
  /** The WebSub hub the feeds name and the publish function notifies (an outbound HTTPS call). */
  websub?: { hub: string };
}

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
  'websub',
] as const;

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
  const websub = websubOf(raw.websub, fail);
  if (websub !== undefined) config.websub = websub;
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
    ...(config.websub && { websub: config.websub }),
  });
  const site: SiteConfig = { ...resolved, siteUrl };
  // Only with email: the form is the one visible sign of the feature, and it must not post into nothing.
  if (config.email) site.subscribeUrl = `${siteUrl}${SUBSCRIBE_PATH}`;
  return site;
}
