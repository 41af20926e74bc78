import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Story } from '../../functions/core/model.js';
import {
  atomEntryId,
  renderAtom,
  renderJsonFeed,
  renderRss,
  storyUrl,
} from '../../functions/core/render/feeds.js';
import { stripXmlIllegal } from '../../functions/core/render/xml-safe.js';
import { makeConfig, makeStory } from '../fixtures/stories.js';
import {
  type FeedparserEntry,
  MissingToolError,
  newsboatUnread,
  parseManyWithFeedparser,
  readJsonFeedWithPython,
  validateJsonFeed,
  xmllintCheck,
} from '../helpers/readers.js';

/** Stories with everything that has broken real feeds: quotes, `&`, `]]>`, emoji, RTL, controls, markup. */
const stories: Story[] = [
  makeStory({
    id: '1a2b3c4d5e6f7081',
    title: 'Quotes "double" and \'single\' & an ampersand',
    summary: 'Tom & Jerry said "hi" — it\'s <fine>.',
    author: 'Siobhán O\'Brien & "Sons"',
    tags: ['world & politics', 'say "cheese"'],
    date: '2021-09-01T10:00:00.000Z',
    updated: '2021-09-02T08:15:00.000Z',
  }),
  makeStory({
    id: '2b3c4d5e6f708192',
    title: 'CDATA ]]> ends here ]]> and again',
    summary: 'Not the end ]]> of the summary ]]> either',
    blocks: [
      { kind: 'paragraph', text: 'Body with ]]> twice ]]> and <script>alert(1)</script> as text.' },
      { kind: 'quote', text: 'Quoted ]]>', cite: 'Someone <b>' },
    ],
    date: '2021-08-31T10:00:00.000Z',
    updated: '2021-08-31T10:00:00.000Z',
  }),
  makeStory({
    id: '3c4d5e6f708192a3',
    title: 'Emoji 😀 👩‍👩‍👧 and RTL שלום עולם',
    summary: 'Astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and \u202Eoverride',
    tags: ['😀'],
    date: '2021-08-30T10:00:00.000Z',
    updated: '2021-08-30T10:00:00.000Z',
  }),
  makeStory({
    id: '4d5e6f708192a3b4',
    title: 'Control\u0001\u0007\u001B\u0085 characters\uD800 vanish',
    summary: 'Bell\u0007 NUL\u0000 FFFE\uFFFE lone\uDC00 surrogate',
    author: 'Null\u0000 Byte',
    blocks: [{ kind: 'paragraph', text: 'Form\u000C feed and \u0008backspace' }],
    date: '2021-08-29T10:00:00.000Z',
    updated: '2021-08-29T10:00:00.000Z',
  }),
  makeStory({
    id: '5e6f708192a3b4c5',
    title: 'Markup <script>alert("x")</script> <b>stays</b> text',
    date: '2021-08-28T10:00:00.000Z',
    updated: '2021-08-28T10:00:00.000Z',
  }),
];

const config = makeConfig({
  title: 'Wire & "Co" ]]> 😀',
  description: 'News <without> markup & more',
  copyright: '© 2021 Wire & Co',
  author: { name: 'The "Desk" & Friends', email: 'desk@example.org' },
});

const dir = mkdtempSync(join(tmpdir(), 'feed-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const paths = {
  rss: write('feed.xml', renderRss(stories, config)),
  atom: write('atom.xml', renderAtom(stories, config)),
  json: write('feed.json', renderJsonFeed(stories, config)),
  emptyRss: write('empty-feed.xml', renderRss([], config)),
  emptyAtom: write('empty-atom.xml', renderAtom([], config)),
  emptyJson: write('empty-feed.json', renderJsonFeed([], config)),
};

/** What a reader should show: the text minus what XML cannot carry; feedparser also trims the ends. */
const visible = (text: string) => stripXmlIllegal(text).trim();

/** feedparser guesses whether an RSS string is HTML and, if so, returns it HTML-escaped; undo that. */
function asText(value: string | null, type: string | null): string | null {
  if (value === null || type !== 'text/html') return value;
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(Number(ref[1] === 'x' ? `0${ref.slice(1)}` : ref.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ref.toLowerCase()] ?? '';
  });
}

function expectEntriesMatchStories(entries: FeedparserEntry[], ids: string[]): void {
  expect(entries).toHaveLength(stories.length);
  for (const [i, entry] of entries.entries()) {
    const story = stories[i]!;
    expect(entry.id).toBe(ids[i]);
    expect(asText(entry.title, entry.titleType)).toBe(visible(story.title));
    expect(asText(entry.summary, entry.summaryType)).toBe(visible(story.summary));
    expect(entry.link).toBe(storyUrl(config, story));
    expect(entry.author).toBe(story.author === undefined ? null : visible(story.author));
    expect(entry.tags).toEqual(story.tags.map(visible));
    expect(entry.published).toBe(story.date.replace('.000Z', 'Z'));
    // Content is HTML that feedparser sanitises and re-serialises, so only its words are compared.
    const firstBlock = story.blocks[0]?.text ?? '';
    expect(entry.content.join('')).toContain(visible(firstBlock).split(/\s+/)[0]);
  }
}

describe('feedparser (Python) reads the rendered RSS and Atom', () => {
  const [rss, atom, emptyRss, emptyAtom] = parseManyWithFeedparser([
    paths.rss,
    paths.atom,
    paths.emptyRss,
    paths.emptyAtom,
  ]);

  it('parses RSS without bozo, as RSS 2.0, with every entry, title, guid and field as written', () => {
    expect(rss!.bozoException).toBeNull();
    expect(rss!.bozo).toBe(false);
    expect(rss!.version).toBe('rss20');
    expect(rss!.feed.title).toBe(visible(config.title));
    expect(rss!.feed.link).toBe(config.siteUrl);
    expect(rss!.feed.updated).toBe('2021-09-02T08:15:00Z');
    expect(rss!.feed.rights).toBe(config.copyright);
    expectEntriesMatchStories(
      rss!.entries,
      stories.map((s) => s.id),
    );
  });

  it('parses Atom without bozo, as Atom 1.0, with every entry, title, id and field as written', () => {
    expect(atom!.bozoException).toBeNull();
    expect(atom!.bozo).toBe(false);
    expect(atom!.version).toBe('atom10');
    expect(atom!.feed.title).toBe(visible(config.title));
    expect(atom!.feed.subtitle).toBe(config.description);
    expect(atom!.feed.author).toBe(`${config.author!.name} (${config.author!.email})`);
    expect(atom!.feed.updated).toBe('2021-09-02T08:15:00Z');
    expectEntriesMatchStories(atom!.entries, stories.map(atomEntryId));
  });

  it('parses empty feeds without bozo', () => {
    for (const result of [emptyRss!, emptyAtom!]) {
      expect(result.bozoException).toBeNull();
      expect(result.entries).toEqual([]);
      expect(result.feed.title).toBe(visible(config.title));
    }
  });
});

describe('ids', () => {
  it('name a story the same way in all three feeds: RSS guid, Atom URN suffix and JSON id', () => {
    const [rss, atom] = parseManyWithFeedparser([paths.rss, paths.atom]);
    const [json] = readJsonFeedWithPython([paths.json]);
    const ids = stories.map((s) => s.id);
    expect(rss!.entries.map((e) => e.id)).toEqual(ids);
    expect(atom!.entries.map((e) => decodeURIComponent((e.id ?? '').replace(/^.*:/, '')))).toEqual(ids);
    expect(json!.items.map((item) => item.id)).toEqual(ids);
  });
});

describe('newsboat', () => {
  it('counts every RSS item as unread', () => {
    expect(newsboatUnread(paths.rss)).toBe(stories.length);
  });

  it('counts every Atom entry as unread', () => {
    expect(newsboatUnread(paths.atom)).toBe(stories.length);
  });

  it('counts nothing in an empty feed', () => {
    expect(newsboatUnread(paths.emptyRss)).toBe(0);
  });

  it('refuses a missing file instead of reporting it as an empty feed', () => {
    expect(() => newsboatUnread(join(dir, 'missing.xml'))).toThrow(/no feed file/);
  });
});

describe('xmllint', () => {
  it('accepts RSS and Atom, with and without stories', () => {
    const result = xmllintCheck([paths.rss, paths.atom, paths.emptyRss, paths.emptyAtom]);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('rejects a feed with a raw control character (so its acceptance above means something)', () => {
    const broken = write('broken.xml', readFileSync(paths.rss, 'utf8').replace('<ttl>', '<ttl>\u0001'));
    const result = xmllintCheck([paths.rss, broken]);
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual([broken]);
  });
});

describe('JSON Feed', () => {
  it('validates against the JSON Feed 1.1 schema (ajv, formats checked)', () => {
    for (const path of [paths.json, paths.emptyJson]) {
      expect(validateJsonFeed(JSON.parse(readFileSync(path, 'utf8'))).errors).toEqual([]);
    }
  });

  it("is read by Python's strict JSON decoder with every item, id and title as written", () => {
    const [feed, empty] = readJsonFeedWithPython([paths.json, paths.emptyJson]);
    expect(feed!.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed!.title).toBe(stripXmlIllegal(config.title));
    expect(feed!.items.map((item) => item.id)).toEqual(stories.map((s) => s.id));
    expect(feed!.items.map((item) => item.title)).toEqual(stories.map((s) => stripXmlIllegal(s.title)));
    expect(feed!.items.map((item) => item.url)).toEqual(stories.map((s) => storyUrl(config, s)));
    expect(empty!.items).toEqual([]);
  });
});

describe('missing tools', () => {
  it('fail the test with an install hint instead of skipping it', () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-tools-here');
    try {
      expect(() => xmllintCheck([paths.rss])).toThrow(MissingToolError);
      expect(() => newsboatUnread(paths.rss)).toThrow(/install it \(apt-get install newsboat\)/);
    } finally {
      process.env.PATH = path;
    }
  });
});
