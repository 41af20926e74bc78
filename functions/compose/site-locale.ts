import type { SiteConfig } from '../core/model.js';
import { type Locale, localeFor, withLocalizedDefaults } from '../core/render/locale.js';
import { logWarning } from './shared.js';

/**
 * The locale of the site's `language` (its warnings on the function's log, stderr locally) and the config
 * with its defaults in that language: what every composition root that renders pages or mail starts from.
 */
export function siteLocaleOf(loaded: SiteConfig): { config: SiteConfig; locale: Locale } {
  const locale = localeFor(loaded.language, logWarning);
  return { config: withLocalizedDefaults(loaded, locale), locale };
}
