/**
 * What every composition root shares, local and cloud: one options shape, one clock, one render
 * key formula, one reading of the site config. A root is one file per Lambda bundle
 * (`compose/<handler>.ts`) plus `compose/local.ts`; each imports only what its bundle needs.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, resolveConfig } from '../core/config.js';
import type { SiteConfig } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import type { Messages } from '../core/render/locale.js';
import type { BuiltTemplates } from '../core/render/templates.js';
import { ENV_DEFAULTS } from '../handlers/contracts.js';
import { getStringFromEnv } from './env.js';

/** What a composition root accepts: clients (tests point them at emulators), the environment, a clock. */
export interface ComposeOptions<C = unknown> {
  clients?: C;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
}

/**
 * The one clock: the real time, unless `SOURCE_DATE_EPOCH` (seconds, as in reproducible-builds.org)
 * pins it. Lambda environments never set it; the local build and tests do.
 */
export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined) {
    if (!/^\d+$/.test(epoch))
      throw new ConfigError('SOURCE_DATE_EPOCH must be a whole number of seconds', 'SOURCE_DATE_EPOCH');
    const fixed = new Date(Number(epoch) * 1000);
    return { now: () => fixed };
  }
  return { now: () => new Date() };
}

/** The injected clock, else the system's. */
export const clockOf = (options: { clock?: Clock }, env: NodeJS.ProcessEnv): Clock =>
  options.clock ?? systemClock(env);

/**
 * What every rendered page depends on besides its story: when the config, a template or a locale file
 * changes, every page is rendered again. The same formula on both paths; `format` is bumped when the
 * page layout changes in code. The catalogues come from the caller (`LOCALE_CATALOGS`) so that this
 * module, which every bundle imports, does not carry them.
 */
export function renderKeyOf(
  config: SiteConfig,
  templates: BuiltTemplates,
  locales: Readonly<Record<string, Messages>>,
): string {
  return createHash('sha256')
    .update(JSON.stringify({ config, templates, locales, format: 1 }))
    .digest('hex')
    .slice(0, 16);
}

/** SITE_CONFIG: the site settings the stack hands every function as JSON, checked at cold start. */
export const siteConfigOf = (env: NodeJS.ProcessEnv): SiteConfig =>
  resolveConfig(JSON.parse(getStringFromEnv('SITE_CONFIG', env)));

/** Where a composition root's warnings (a locale file without a key) go: the function's log, stderr locally. */
export const logWarning = (message: string): void => console.warn(message);

/** The templates folder a function reads (bundled beside it; TEMPLATES_DIR in dev:cloud). */
export const templatesDirOf = (env: NodeJS.ProcessEnv): string =>
  resolve(env.TEMPLATES_DIR ?? ENV_DEFAULTS.TEMPLATES_DIR);

/** The key prefix under which articles live in the articles bucket. */
export const prefixOf = (env: NodeJS.ProcessEnv) => env.ARTICLES_PREFIX ?? ENV_DEFAULTS.ARTICLES_PREFIX;
