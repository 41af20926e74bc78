import { brandOf } from './brand.js';
import { fieldReader, isRecord, type RawObject } from './config-schema.js';
import type { SiteConfig } from './model.js';
import { websubOf } from './websub-config.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

export const DEFAULT_CONFIG: SiteConfig = {
  title: 'News digest',
  description: 'The latest stories, each published once.',
  siteUrl: 'http://localhost:8080/',
  language: 'en',
  feedSize: 50,
  ttl: 60,
  maxArticleBytes: 1024 * 1024,
  digest: {
    // The deployed default (`newsfeed.email.maxStories`) too: the local preview is the mail subscribers get.
    maxStories: 10,
    subjectPrefix: 'News digest',
    unsubscribeUrl: '{{unsubscribe_url}}',
  },
};

type RawConfig = RawObject;

const fields = fieldReader((path, rule) => {
  throw new ConfigError(`config key "${path}" ${rule}`, path);
});
const str = (raw: RawConfig, key: string, path: string, fallback: string) =>
  fields.text(raw, key, path, fallback);
const int = (raw: RawConfig, key: string, path: string, fallback: number, min: number, max: number) =>
  fields.integer(raw, key, path, fallback, min, max);

const KNOWN_KEYS = new Set([
  'title',
  'description',
  'siteUrl',
  'language',
  'author',
  'copyright',
  'feedSize',
  'ttl',
  'maxArticleBytes',
  'digest',
  'subscribeUrl',
  'brand',
  'websub',
]);

/** Resolves a raw config object (from a JSON file or CDK context) into a validated `SiteConfig`. */
export function resolveConfig(raw: unknown = {}): SiteConfig {
  if (!isRecord(raw)) throw new ConfigError('config must be a JSON object', '(root)');
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(`unknown config key "${key}"`, key);
  }
  let siteUrl = str(raw, 'siteUrl', 'siteUrl', DEFAULT_CONFIG.siteUrl);
  try {
    const url = new URL(siteUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(
      `config key "siteUrl" must be an absolute http(s) URL, got "${siteUrl}"`,
      'siteUrl',
    );
  }
  if (!siteUrl.endsWith('/')) siteUrl += '/';
  const language = str(raw, 'language', 'language', DEFAULT_CONFIG.language);
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new ConfigError(`config key "language" must be a language tag such as "en" or "en-GB"`, 'language');
  }
  let author: SiteConfig['author'];
  if (raw.author !== undefined) {
    if (!isRecord(raw.author)) throw new ConfigError('config key "author" must be an object', 'author');
    const name = str(raw.author, 'name', 'author.name', '');
    if (!name) throw new ConfigError('config key "author.name" is required', 'author.name');
    const email = raw.author.email === undefined ? undefined : str(raw.author, 'email', 'author.email', '');
    author = email ? { name, email } : { name };
  }
  const digestRaw = raw.digest === undefined ? {} : raw.digest;
  if (!isRecord(digestRaw)) throw new ConfigError('config key "digest" must be an object', 'digest');
  const title = str(raw, 'title', 'title', DEFAULT_CONFIG.title);
  const config: SiteConfig = {
    title,
    description: str(raw, 'description', 'description', DEFAULT_CONFIG.description),
    siteUrl,
    language,
    feedSize: int(raw, 'feedSize', 'feedSize', DEFAULT_CONFIG.feedSize, 1, 1000),
    ttl: int(raw, 'ttl', 'ttl', DEFAULT_CONFIG.ttl, 1, 10080),
    maxArticleBytes: int(
      raw,
      'maxArticleBytes',
      'maxArticleBytes',
      DEFAULT_CONFIG.maxArticleBytes,
      1024,
      64 * 1024 * 1024,
    ),
    digest: {
      maxStories: int(digestRaw, 'maxStories', 'digest.maxStories', DEFAULT_CONFIG.digest.maxStories, 1, 30),
      subjectPrefix: str(digestRaw, 'subjectPrefix', 'digest.subjectPrefix', title),
      unsubscribeUrl: str(
        digestRaw,
        'unsubscribeUrl',
        'digest.unsubscribeUrl',
        DEFAULT_CONFIG.digest.unsubscribeUrl,
      ),
    },
  };
  if (author) config.author = author;
  if (raw.brand !== undefined)
    config.brand = brandOf(raw.brand, (path, message) => {
      throw new ConfigError(message, path);
    });
  if (raw.subscribeUrl !== undefined)
    config.subscribeUrl = subscribeUrlOf(str(raw, 'subscribeUrl', 'subscribeUrl', ''));
  const websub = websubOf(raw.websub, (path, rule) => {
    throw new ConfigError(`config key "${path}" ${rule}`, path);
  });
  if (websub) config.websub = websub;
  if (raw.copyright !== undefined) config.copyright = str(raw, 'copyright', 'copyright', '');
  return config;
}

/** An absolute http(s) URL or a path starting with `/`: the form posts there from any page depth. */
function subscribeUrlOf(value: string): string {
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(
      `config key "subscribeUrl" must be an http(s) URL or a path starting with "/", got "${value}"`,
      'subscribeUrl',
    );
  }
  return value;
}
