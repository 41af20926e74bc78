import {
  problemsError,
  readSiteSettings,
  SITE_SETTING_KEYS,
  type SiteSettings,
  unknownRule,
} from '../functions/core/config.js';
import {
  type ConfigProblem,
  isRecord,
  ProblemCollector,
  type RawObject,
} from '../functions/core/config-schema.js';
import type { SiteConfig } from '../functions/core/model.js';
import { CONFIG_CONTEXT_KEY, EMAIL, NewsfeedConfigError, optionalText, type Raw } from './config-fields.js';
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
  /** The site settings: the local config file's keys, rules and defaults (`readSiteSettings`). */
  site: SiteSettings;
  /** Absolute https URL ending in `/`. Absent: the custom domain when set, else the CloudFront domain. */
  siteUrl?: string;
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

const DEPLOY_KEYS = [
  'siteUrl',
  'alarmEmail',
  'customDomain',
  'deployLocalArticles',
  'reconcileIntervalMinutes',
  'email',
  'waf',
  'removalPolicy',
] as const;
const KNOWN_KEYS: readonly string[] = [...SITE_SETTING_KEYS, ...DEPLOY_KEYS];

/**
 * Spellings of the deployment config before the local and cloud settings became one schema, read
 * for one more release: old path → the one to write now.
 */
export const DEPRECATED_KEYS: Readonly<Record<string, string>> = {
  siteTitle: 'title',
  'email.maxStories': 'digest.maxStories',
};

function siteUrlOf(raw: Raw): string | undefined {
  const value = optionalText(raw, 'siteUrl', 'siteUrl');
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // CloudFront redirects every http request, so an http feed URL would always cost a redirect.
  if (url?.protocol !== 'https:') {
    throw new NewsfeedConfigError(
      `${CONFIG_CONTEXT_KEY}.siteUrl must be an absolute https URL, got "${value}"`,
      `${CONFIG_CONTEXT_KEY}.siteUrl`,
    );
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/** The deployment parsers throw `NewsfeedConfigError` naming `newsfeed.<key>`: back to a problem. */
function adopt(error: unknown): ConfigProblem | undefined {
  if (!(error instanceof NewsfeedConfigError)) return undefined;
  const path = error.key.replace(`${CONFIG_CONTEXT_KEY}.`, '');
  return { path, rule: error.message.slice(error.key.length + 1) };
}

/** Moves each deprecated key to its new place (a copy), saying so; both given is a problem. */
function renameDeprecated(raw: Raw, problems: ProblemCollector, warn: (message: string) => void): Raw {
  const out: Raw = { ...raw };
  for (const [old, now] of Object.entries(DEPRECATED_KEYS)) {
    const [oldBlock, oldKey] = old.includes('.') ? old.split('.') : [undefined, old];
    const [newBlock, newKey] = now.includes('.') ? now.split('.') : [undefined, now];
    const from = oldBlock === undefined ? out : out[oldBlock];
    if (!isRecord(from) || from[oldKey as string] === undefined) continue;
    const to = newBlock === undefined ? out : isRecord(out[newBlock]) ? { ...out[newBlock] } : {};
    if (newBlock !== undefined && out[newBlock] !== undefined && !isRecord(out[newBlock])) continue;
    if (to[newKey as string] !== undefined) {
      problems.add(
        old,
        `is the old name of ${CONFIG_CONTEXT_KEY}.${now}: give only ${CONFIG_CONTEXT_KEY}.${now}`,
      );
      continue;
    }
    warn(
      `${CONFIG_CONTEXT_KEY}.${old} is deprecated: rename it to ${CONFIG_CONTEXT_KEY}.${now} (the old name is read until the next release)`,
    );
    to[newKey as string] = from[oldKey as string];
    if (newBlock !== undefined) out[newBlock] = to;
    const rest: Raw = { ...from };
    delete rest[oldKey as string];
    if (oldBlock === undefined) delete out[oldKey as string];
    else out[oldBlock] = rest;
  }
  return out;
}

/**
 * Validates the `newsfeed` context value. Runs at synth time so that a typo fails `cdk synth` with
 * every offending key (all at once) instead of deploying a half-configured stack. The site settings
 * are the local config file's (`readSiteSettings`); old spellings (`DEPRECATED_KEYS`) still work, with
 * a warning naming the new key.
 */
export function parseNewsfeedConfig(
  input: unknown = {},
  warn: (message: string) => void = (message) => console.warn(`warning: ${message}`),
): NewsfeedConfig {
  // `cdk -c newsfeed=...` passes the value as a string, cdk.json as an object.
  let given: unknown = input;
  if (typeof input === 'string') {
    try {
      given = JSON.parse(input);
    } catch {
      throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY} must be a JSON object`, CONFIG_CONTEXT_KEY);
    }
  }
  if (!isRecord(given))
    throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY} must be an object`, CONFIG_CONTEXT_KEY);
  const problems: ProblemCollector = new ProblemCollector();
  const raw = renameDeprecated(given, problems, warn);
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) problems.add(key, unknownRule(KNOWN_KEYS));
  }
  const site = readSiteSettings(raw, problems);
  const check = <T>(read: () => T, fallback: T) => problems.check(read, fallback, adopt);
  const config: NewsfeedConfig = {
    site,
    deployLocalArticles: check((): boolean => {
      const value = raw.deployLocalArticles ?? false;
      if (typeof value !== 'boolean') problems.fail('deployLocalArticles', 'must be true or false');
      return value;
    }, false),
    reconcileIntervalMinutes: check(
      () =>
        problems.fields.integer(raw, 'reconcileIntervalMinutes', 'reconcileIntervalMinutes', 60, 1, 24 * 60),
      60,
    ),
    waf: check(() => parseWaf(raw.waf, problems.fail), false),
    removalPolicy: check(
      (): RemovalSetting => parseRemovalPolicy(raw.removalPolicy, problems.fail),
      'retain',
    ),
  };
  const siteUrl = check(() => siteUrlOf(raw), undefined);
  if (siteUrl !== undefined) config.siteUrl = siteUrl;
  const alarmEmail = check(() => {
    const value = optionalText(raw, 'alarmEmail', 'alarmEmail');
    if (value !== undefined && !EMAIL.test(value)) problems.fail('alarmEmail', 'must be an e-mail address');
    return value;
  }, undefined);
  if (alarmEmail !== undefined) config.alarmEmail = alarmEmail;
  const customDomain = check(() => parseCustomDomain(raw.customDomain, problems.fail), undefined);
  if (customDomain !== undefined) config.customDomain = customDomain;
  const email = check(() => emailOf(raw.email, site.title, check), undefined);
  if (email !== undefined) config.email = email;
  const error = problemsError(
    problems.problems.map((problem) => ({ ...problem, path: oldPathOf(problem.path, given) })),
    ({ path, rule }) => {
      const key = `${CONFIG_CONTEXT_KEY}.${path}`;
      return { key, message: `${key} ${rule}` };
    },
    (message, key, list) => new NewsfeedConfigError(message, key, list),
  );
  if (error) throw error;
  return config;
}

/** A problem with a renamed key is reported under the name the editor wrote. */
function oldPathOf(path: string, given: RawObject): string {
  for (const [old, now] of Object.entries(DEPRECATED_KEYS)) {
    const [block, key] = old.includes('.') ? old.split('.') : [undefined, old];
    const holder = block === undefined ? given : given[block];
    if (path === now && isRecord(holder) && holder[key as string] !== undefined) return old;
  }
  return path;
}

/** Where CloudFront routes the subscribe API (the form, confirm and unsubscribe links). */
export const API_PATH_PATTERN = '/api/*';

/** The form's target, relative to the site URL. */
export const SUBSCRIBE_PATH = 'api/subscribe';

/**
 * The site config the functions render with: the validated site settings and the site URL, which
 * may be a CDK token (the CloudFront domain is only known at deploy time).
 */
export function toSiteConfig(config: NewsfeedConfig, siteUrl: string): SiteConfig {
  const site: SiteConfig = { ...config.site, siteUrl };
  // Only with email: the form is the one visible sign of the feature, and it must not post into nothing.
  if (config.email) site.subscribeUrl = `${siteUrl}${SUBSCRIBE_PATH}`;
  return site;
}
