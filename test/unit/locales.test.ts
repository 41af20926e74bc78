/**
 * Locales: a French site and digest, a German digest, the fallback chain, a missing key, and every
 * shipped locale file carrying every key of `en.json`.
 */
import { describe, expect, it } from 'vitest';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { renderRss } from '../../functions/core/render/feeds.js';
import { createLocale, localeFor } from '../../functions/core/render/locale.js';
import { LOCALE_CATALOGS } from '../../functions/core/render/locale-catalog.js';
import { SiteRenderer } from '../../functions/core/render/site.js';
import { tagChannel } from '../../functions/core/stories/publish-tags.js';
import { makeConfig, makeStories, makeStory } from '../fixtures/stories.js';
import { loadBuiltTemplates } from '../helpers/templates.js';

const templates = await loadBuiltTemplates();
const links = {
  viewInBrowserUrl: 'https://news.example.org/digests/1.html',
  unsubscribeUrl: '{{unsubscribe_url}}',
};

describe('a French build', () => {
  const config = makeConfig({ language: 'fr' });
  const site = SiteRenderer.create(templates, config);
  const stories = makeStories(3);

  it('writes the home page in French, with French dates and months', () => {
    const html = site.renderIndex({ stories, months: [{ month: '2021-08', count: 2 }] });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Derniers articles');
    expect(html).toContain('>Archives<');
    expect(html).toContain('1 septembre 2021');
    expect(html).toContain('août 2021');
    expect(html).toContain('2 articles');
    expect(html).not.toContain('Latest stories');
  });

  it('writes a tag page and the digest archive in French', () => {
    const tagged = site.renderTag({ slug: 'politique', name: 'Politique' }, stories);
    expect(tagged).toContain('Suivre ce mot-clé');
    expect(tagged).toContain('3 articles avec le mot-clé Politique.');
    expect(tagged).toContain('← Tous les articles');
    expect(tagged).not.toMatch(/Follow this tag|All stories/);
    const archive = site.renderDigests([
      { number: 1, date: '2021-12-01T07:00:00.000Z', subject: 'Test Wire', stories: [] },
    ]);
    expect(archive).toContain('Archives de la lettre — ');
    expect(archive).toContain('Édition 1 · <time datetime="2021-12-01T07:00:00.000Z">1 décembre 2021</time>');
    expect(site.renderDigests([])).toContain('Aucune édition pour l’instant.');
    expect(
      site.renderIndex({
        stories,
        months: [],
        latestDigest: { path: 'digests/1.html', subject: 'Test Wire' },
        digestsArchive: true,
      }),
    ).toContain('Toutes les éditions');
  });

  it('writes an article page in French', () => {
    const story = makeStory({
      updated: '2021-12-02T10:00:00.000Z',
      author: 'Agence',
      link: 'https://example.org/a',
    });
    const html = site.renderArticle(story);
    expect(html).toContain('← Tous les articles');
    expect(html).toContain('23 août 2021');
    expect(html).toContain('Mis à jour le <time datetime="2021-12-02T10:00:00.000Z">2 décembre 2021</time>');
    expect(html).toContain('Par Agence');
    expect(html).toContain('Lire l’article original');
    expect(html).toContain('Également publié sous 1 autre version.');
  });

  it('writes the digest in French, both parts', async () => {
    const digest = DigestRenderer.create(templates, config);
    const parts = digest.render({ id: '2021-12-01', date: '2021-12-01T07:00:00.000Z', stories }, links);
    expect(parts.html).toContain('1 décembre 2021');
    expect(parts.html).toContain('Lire la suite');
    expect(parts.html).toContain('Se désabonner');
    expect(parts.text).toMatch(/^Test Wire\n1 décembre 2021 · 3 articles\n/);
    expect(parts.text).toContain('Tous les articles: https://news.example.org/');
    expect(parts.subject).toContain('(+2 autres)');
  });
});

describe('a German digest', () => {
  it('has German text and dates', async () => {
    const digest = DigestRenderer.create(templates, makeConfig({ language: 'de' }));
    const parts = digest.render(
      { id: '2021-12-01', date: '2021-12-01T07:00:00.000Z', stories: makeStories(2) },
      links,
    );
    expect(parts.html).toContain('1. Dezember 2021');
    expect(parts.html).toContain('Weiterlesen');
    expect(parts.html).toContain('Im Browser ansehen');
    expect(parts.text).toContain('2 Meldungen');
    expect(parts.text).toContain('Abbestellen: {{unsubscribe_url}}');
  });
});

describe('looking up a locale', () => {
  it('falls back from a region to its language, then to English', () => {
    expect(localeFor('fr-CA').t('digest.readMore')).toBe('Lire la suite');
    expect(localeFor('fr-CA').date('2021-12-01T00:00:00Z')).toBe('1 décembre 2021');
    const warnings: string[] = [];
    const japanese = createLocale('ja', (message) => warnings.push(message));
    expect(japanese.t('digest.readMore')).toBe('Read more');
    expect(warnings).toEqual([expect.stringContaining('templates/locales/ja.json does not exist')]);
  });

  it('uses English for a missing key, warning once with the file and the key', () => {
    const { 'digest.readMore': _gone, ...partial } = LOCALE_CATALOGS.fr!;
    const warnings: string[] = [];
    const locale = createLocale('fr', (message) => warnings.push(message), {
      ...LOCALE_CATALOGS,
      fr: partial,
    });
    expect(locale.t('digest.readMore')).toBe('Read more');
    expect(locale.t('digest.unsubscribe')).toBe('Se désabonner');
    expect(warnings).toEqual(['templates/locales/fr.json has no "digest.readMore": using the English text']);
  });

  it('ships every key of en.json in every locale file, with the same placeholders', () => {
    const placeholders = (message: unknown) =>
      JSON.stringify(message)
        .match(/\{\w+\}/g)
        ?.sort()
        .filter((v, i, a) => a.indexOf(v) === i) ?? [];
    const english = LOCALE_CATALOGS.en!;
    for (const [name, catalog] of Object.entries(LOCALE_CATALOGS)) {
      for (const key of Object.keys(english)) {
        if (key.startsWith('meta.')) continue;
        expect(catalog[key], `${name}.json ${key}`).toBeDefined();
        expect(placeholders(catalog[key]), `${name}.json ${key}`).toEqual(placeholders(english[key]));
      }
    }
  });
});

describe('the tag feeds', () => {
  it("describe themselves in the site's language, from the locale file", () => {
    const tag = { name: 'Économie', slug: 'economie-x' };
    const descriptions = (['en', 'fr', 'de', 'es'] as const).map((language) => {
      const config = makeConfig({ language });
      const channel = tagChannel(config, tag, 'rss', localeFor(language));
      const rss = renderRss([], config, channel);
      expect(rss).toContain(`<description>${channel.description}</description>`);
      return channel.description;
    });
    expect(descriptions[0]).toBe('Stories tagged Économie.');
    expect(descriptions[1]).toBe('Les articles avec le mot-clé Économie.');
    // Four languages, four texts: none fell back to English.
    expect(new Set(descriptions).size).toBe(4);
    for (const language of ['fr', 'de', 'es'] as const)
      expect(LOCALE_CATALOGS[language]?.['tag.feedDescription']).toBeTypeOf('string');
  });
});
