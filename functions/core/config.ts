/**
 * The one settings schema. The site settings (`SITE_SETTING_KEYS`) have the same keys and rules in the
 * local config file (`site.config.json`, read here by `resolveConfig`) and in the deployment's
 * `newsfeed` context (`infra/config.ts`, which adds its own deployment keys); `readSiteSettings` is
 * their one validator. Every broken rule is reported at once, each naming its key.
 */
import { brandOf } from './brand.js';
import { type ConfigProblem, isRecord, ProblemCollector, type RawObject } from './config-schema.js';
import type { SiteConfig } from './model.js';
import { websubOf } from './websub-config.js';

/** A config with broken rules: `problems` lists each (key and message), `key` is the first one's. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly { key: string; message: string }[];
  constructor(
    message: string,
    readonly key: string,
    problems?: readonly { key: string; message: string }[],
  ) {
    super(message);
    this.problems = problems ?? [{ key, message }];
  }
}

/** Stories per RFC 5005 archive document (`archivePageSize`): a month with more is split into pages. */
export const ARCHIVE_PAGE_SIZE = 100;

export const DEFAULT_CONFIG: SiteConfig = {
  title: 'News digest',
  description: 'The latest stories, each published once.',
  siteUrl: 'http://localhost:8080/',
  language: 'en',
  feedSize: 50,
  archivePageSize: ARCHIVE_PAGE_SIZE,
  ttl: 60,
  maxArticleBytes: 1024 * 1024,
  digest: {
    // The deployed default too: the local preview is the mail subscribers get.
    maxStories: 10,
    subjectPrefix: 'News digest',
    unsubscribeUrl: '{{unsubscribe_url}}',
  },
};

/** What both configurations share; the site URL and the form's target differ (see their readers). */
export type SiteSettings = Omit<SiteConfig, 'siteUrl' | 'subscribeUrl'>;

/** The keys of the shared site settings, in both files under the same names. */
export const SITE_SETTING_KEYS = [
  'title',
  'description',
  'language',
  'author',
  'copyright',
  'feedSize',
  'archivePageSize',
  'ttl',
  'maxArticleBytes',
  'digest',
  'brand',
  'websub',
] as const;
const DIGEST_KEYS = ['maxStories', 'subjectPrefix', 'unsubscribeUrl'];
/** The local file's own keys: in the cloud the stack sets both from the deployment. */
const LOCAL_KEYS = ['siteUrl', 'subscribeUrl'];

export const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Reads the shared site settings of `raw`, recording each broken rule in `problems`. */
export function readSiteSettings(raw: RawObject, problems: ProblemCollector): SiteSettings {
  const { fields } = problems;
  const check = <T>(read: () => T, fallback: T) => problems.check(read, fallback);
  const title = check(
    () => fields.text(raw, 'title', 'title', DEFAULT_CONFIG.title, 200),
    DEFAULT_CONFIG.title,
  );
  const language = check(() => {
    const value = fields.text(raw, 'language', 'language', DEFAULT_CONFIG.language, 35);
    if (!LANGUAGE_TAG.test(value))
      problems.fail('language', 'must be a language tag such as "en" or "en-GB"');
    return value;
  }, DEFAULT_CONFIG.language);
  const digestRaw = check((): RawObject => {
    const value = raw.digest ?? {};
    if (!isRecord(value)) problems.fail('digest', 'must be an object');
    for (const key of Object.keys(value)) {
      if (!DIGEST_KEYS.includes(key)) problems.add(`digest.${key}`, unknownRule(DIGEST_KEYS));
    }
    return value;
  }, {});
  const int = (key: keyof SiteSettings, fallback: number, min: number, max: number) =>
    check(() => fields.integer(raw, key, key, fallback, min, max), fallback);
  const settings: SiteSettings = {
    title,
    description: check(
      () => fields.text(raw, 'description', 'description', DEFAULT_CONFIG.description, 1000),
      DEFAULT_CONFIG.description,
    ),
    language,
    feedSize: int('feedSize', DEFAULT_CONFIG.feedSize, 1, 1000),
    archivePageSize: int('archivePageSize', ARCHIVE_PAGE_SIZE, 1, 10_000),
    ttl: int('ttl', DEFAULT_CONFIG.ttl, 1, 10080),
    maxArticleBytes: int('maxArticleBytes', DEFAULT_CONFIG.maxArticleBytes, 1024, 64 * 1024 * 1024),
    digest: {
      maxStories: check(
        () =>
          fields.integer(
            digestRaw,
            'maxStories',
            'digest.maxStories',
            DEFAULT_CONFIG.digest.maxStories,
            1,
            30,
          ),
        DEFAULT_CONFIG.digest.maxStories,
      ),
      subjectPrefix: check(
        () => fields.text(digestRaw, 'subjectPrefix', 'digest.subjectPrefix', title),
        title,
      ),
      unsubscribeUrl: check(
        () =>
          fields.text(
            digestRaw,
            'unsubscribeUrl',
            'digest.unsubscribeUrl',
            DEFAULT_CONFIG.digest.unsubscribeUrl,
          ),
        DEFAULT_CONFIG.digest.unsubscribeUrl,
      ),
    },
  };
  const author = check(() => authorOf(raw, problems), undefined);
  if (author) settings.author = author;
  const copyright = check(() => fields.optionalText(raw, 'copyright', 'copyright'), undefined);
  if (copyright !== undefined) settings.copyright = copyright;
  if (raw.brand !== undefined) {
    const brand = check(() => brandOf(raw.brand, problems.fail), undefined);
    if (brand) settings.brand = brand;
  }
  const websub = check(() => websubOf(raw.websub, problems.fail), undefined);
  if (websub) settings.websub = websub;
  return settings;
}

function authorOf(raw: RawObject, problems: ProblemCollector): SiteConfig['author'] {
  const author = raw.author;
  if (author === undefined) return undefined;
  if (!isRecord(author)) problems.fail('author', 'must be an object');
  if (author.name === undefined) problems.fail('author.name', 'is required');
  const name = problems.fields.text(author, 'name', 'author.name', '');
  const email = problems.fields.optionalText(author, 'email', 'author.email');
  return email ? { name, email } : { name };
}

export const unknownRule = (known: readonly string[]): string =>
  `is not a known setting (known: ${known.join(', ')})`;

/** The problems as one error: one line each, in the caller's wording. */
export function problemsError<E extends ConfigError>(
  problems: readonly ConfigProblem[],
  wording: (problem: ConfigProblem) => { key: string; message: string },
  make: (message: string, key: string, problems: { key: string; message: string }[]) => E,
): E | undefined {
  const worded = problems.map(wording);
  const first = worded[0];
  return first && make(worded.map((problem) => problem.message).join('\n'), first.key, worded);
}

/** Resolves a raw local config object (a JSON file) into a validated `SiteConfig`. */
export function resolveConfig(raw: unknown = {}): SiteConfig {
  if (!isRecord(raw)) throw new ConfigError('config must be a JSON object', '(root)');
  const problems: ProblemCollector = new ProblemCollector();
  const known = [...SITE_SETTING_KEYS, ...LOCAL_KEYS];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problems.add(key, unknownRule(known));
  }
  const settings = readSiteSettings(raw, problems);
  const siteUrl = problems.check(() => localSiteUrl(raw, problems), DEFAULT_CONFIG.siteUrl);
  const subscribeUrl = problems.check(() => subscribeUrlOf(raw, problems), undefined);
  const error = problemsError(
    problems.problems,
    ({ path, rule }) => ({ key: path, message: `config key "${path}" ${rule}` }),
    (message, key, list) => new ConfigError(message, key, list),
  );
  if (error) throw error;
  const config: SiteConfig = { ...settings, siteUrl };
  if (subscribeUrl !== undefined) config.subscribeUrl = subscribeUrl;
  return config;
}

function localSiteUrl(raw: RawObject, problems: ProblemCollector): string {
  const siteUrl = problems.fields.text(raw, 'siteUrl', 'siteUrl', DEFAULT_CONFIG.siteUrl);
  let url: URL | undefined;
  try {
    url = new URL(siteUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.fail('siteUrl', `must be an absolute http(s) URL, got "${siteUrl}"`);
  }
  return siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
}

/** An absolute http(s) URL or a path starting with `/`: the form posts there from any page depth. */
function subscribeUrlOf(raw: RawObject, problems: ProblemCollector): string | undefined {
  const value = problems.fields.optionalText(raw, 'subscribeUrl', 'subscribeUrl');
  if (value === undefined) return undefined;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    problems.fail('subscribeUrl', `must be an http(s) URL or a path starting with "/", got "${value}"`);
  }
  return value;
}
