/**
 * A French site, end to end: the seed articles built by the real CLI with `"language": "fr"`. Every page,
 * the digest and the feeds' page links carry the French interface, and none of the English interface
 * phrases of `en.json` is left in a page (the seeds' own English news text is content, not interface).
 * The home page is rendered in headless Chromium and looked at.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALE_CATALOGS } from '../../functions/core/render/locale-catalog.js';
import { isBlank, pixelStats, screenshot } from '../helpers/chromium.js';
import { type CliRun, runCli, workspace } from '../helpers/cli.js';
import { parseWithFeedparser } from '../helpers/readers.js';

type Value = string | Record<string, string>;

/** Every text of a catalog, plural forms included, with its `{name}` placeholders as gaps. */
function texts(catalog: Readonly<Record<string, Value>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(catalog)) {
    if (key.startsWith('meta.')) continue;
    out.set(key, typeof value === 'string' ? [value] : Object.values(value));
  }
  return out;
}

/** The English interface phrases worth looking for: two words or more, differing from the French text. */
function englishPhrases(): string[] {
  const en = texts(LOCALE_CATALOGS.en as Record<string, Value>);
  const fr = texts(LOCALE_CATALOGS.fr as Record<string, Value>);
  const phrases = new Set<string>();
  for (const [key, values] of en) {
    const french = new Set(fr.get(key) ?? []);
    for (const value of values) {
      if (french.has(value)) continue;
      // The longest run of words without a placeholder or markup.
      for (const piece of value.split(/\{[^}]*\}|[<>]/)) {
        const words = piece.replace(/^[\s←→]+|[\s.:…←→]+$/gu, '');
        if (words.split(/\s+/).length >= 2) phrases.add(words);
      }
    }
  }
  return [...phrases];
}

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

describe('a French site built from the seeds', () => {
  const ws = workspace();
  let run: CliRun;

  it('builds with "language": "fr" and writes French pages, dates and digest', () => {
    const config = join(ws.root, 'site.config.json');
    writeFileSync(config, JSON.stringify({ title: 'Dépêches', language: 'fr' }));
    run = runCli(ws, ['--config', config]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.stories).toHaveLength(4);
    expect(run.stderr).not.toMatch(/missing|warning/i);

    const index = readFileSync(join(ws.out, 'index.html'), 'utf8');
    expect(index).toContain('<html lang="fr">');
    expect(index).toContain('Derniers articles');
    // No description in the config: the default one, in French, on the page and in the feeds.
    expect(index).toContain('Les dernières nouvelles, chacune publiée une seule fois.');
    expect(index).toMatch(/1 septembre 2021/);
    expect(index).toMatch(/août 2021/);
    for (const story of run.report.stories) {
      const page = readFileSync(join(ws.out, 'articles', `${story.slug}.html`), 'utf8');
      expect(page).toContain('← Tous les articles');
    }
    const digest = readFileSync(join(ws.out, 'digest.html'), 'utf8');
    expect(digest).toContain('Lire la suite');
    expect(digest).toContain('Se désabonner');
    expect(readFileSync(join(ws.out, 'digest.txt'), 'utf8')).toContain('Vous recevez cet e-mail');
  });

  it('leaves none of the English interface phrases in any page, feed or the digest', () => {
    const phrases = englishPhrases();
    // The check must have teeth: the English catalog has dozens of such phrases.
    expect(phrases.length).toBeGreaterThan(40);
    expect(phrases).toContain('Latest stories');
    const found: string[] = [];
    // Feeds too: their channel texts are interface (the stories' own English text has no such phrase).
    const files = ['.html', '.xml', '.json'].flatMap((suffix) => filesUnder(ws.out, suffix));
    for (const file of [...files, join(ws.out, 'digest.txt')]) {
      const text = readFileSync(file, 'utf8');
      for (const phrase of phrases) {
        if (text.includes(phrase)) found.push(`${relative(ws.out, file)}: "${phrase}"`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps the feeds readable, with the site language declared', () => {
    const rss = parseWithFeedparser(join(ws.out, 'feed.xml'));
    expect(rss.bozo, String(rss.bozoException)).toBe(false);
    expect(rss.entries).toHaveLength(4);
    const xml = readFileSync(join(ws.out, 'feed.xml'), 'utf8');
    expect(xml).toContain('<language>fr</language>');
    expect(xml).toContain(
      '<description>Les dernières nouvelles, chacune publiée une seule fois.</description>',
    );
    const json = JSON.parse(readFileSync(join(ws.out, 'feed.json'), 'utf8')) as { language?: string };
    expect(json.language).toBe('fr');
  });

  it('renders the French home page in Chromium: a page with text, not blank', async () => {
    const png = await screenshot(pathToFileURL(join(ws.out, 'index.html')).href, 1024, 900);
    expect(isBlank(png)).toBe(false);
    const stats = pixelStats(png);
    expect(stats.distinctColours).toBeGreaterThan(20);
  }, 120_000);
});
