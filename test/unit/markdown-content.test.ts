import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../functions/core/article/parse-article.js';
import type { ParsedArticle, Story } from '../../functions/core/model.js';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { renderAtom, renderJsonFeed, renderRss } from '../../functions/core/render/feeds.js';
import { SiteRenderer } from '../../functions/core/render/site.js';
import { summarize } from '../../functions/core/stories/story-view.js';
import { makeConfig, makeStory } from '../fixtures/stories.js';
import { loadBuiltTemplates } from '../helpers/templates.js';

const config = makeConfig();
const templates = await loadBuiltTemplates();
const site = SiteRenderer.create(templates, config);
const OPTIONS = { maxBytes: 1_000_000, now: new Date('2021-09-01T00:00:00Z') };

function parse(source: string, text: string) {
  return parseArticle(source, new TextEncoder().encode(text), OPTIONS);
}

function storyOf(article: ParsedArticle): Story {
  return makeStory({
    title: article.title,
    summary: summarize(article),
    blocks: article.blocks,
    tags: article.tags,
  });
}

const ARTICLE = `---
title: Markdown in and out
tags: [markdown]
---

Banks in **Kabul** reopened, *finally*, with [long queues](https://example.org/queues "Queues") and ~~no~~ cash.

## Withdrawals capped

> We waited for six hours.
> — A customer

- first item
- second item with \`code\`

1. one
2. two

| Bank | Open |
|------|-----:|
| Azizi | 12 |

\`\`\`
curl https://example.org/api?a=1&b=2
\`\`\`

Mail [the desk](mailto:desk@example.org) or see https://example.org/bare.

![A queue](https://example.org/queue.jpg "Queues outside a branch")
`;

/** The constructs a Markdown article keeps, as they must appear in every HTML output. */
const KEPT = [
  '<strong>Kabul</strong>',
  '<em>finally</em>',
  '<a href="https://example.org/queues" title="Queues" rel="noopener">long queues</a>',
  '<s>no</s>',
  '<h2>Withdrawals capped</h2>',
  '<blockquote>',
  '<footer>— A customer</footer>',
  '<li>first item</li>',
  '<li>second item with <code>code</code></li>',
  '<ol>',
  '<th style="text-align:right">Open</th>',
  '<td>Azizi</td>',
  '<pre><code>curl https://example.org/api?a=1&amp;b=2',
  '<a href="mailto:desk@example.org">the desk</a>',
  '<a href="https://example.org/bare" rel="noopener">https://example.org/bare</a>',
  '<figure><img src="https://example.org/queue.jpg" alt="A queue" /><figcaption>Queues outside a branch</figcaption></figure>',
];

describe('Markdown constructs, in and out', () => {
  const { article, warnings } = parse('md/in-and-out.md', ARTICLE);
  const story = storyOf(article);

  it('parses without warnings and keeps plain text for deduplication', () => {
    expect(warnings).toEqual([]);
    const text = article.blocks.map((block) => block.text).join('\n');
    expect(text).toContain('Banks in Kabul reopened, finally, with long queues and no cash.');
    expect(text).toContain('first item second item with code');
    expect(text).not.toMatch(/\*\*|~~|\]\(|<strong>/);
  });

  it('shows every construct on the article page', () => {
    const html = site.renderArticle(story);
    for (const piece of KEPT) expect(html).toContain(piece);
  });

  it('carries every construct in RSS content:encoded, Atom content and JSON Feed content_html', () => {
    const rss = renderRss([story], config);
    const encoded = /<content:encoded><!\[CDATA\[([\s\S]*?)\]\]><\/content:encoded>/.exec(rss)?.[1] ?? '';
    for (const piece of KEPT) expect(encoded).toContain(piece);
    const atom = renderAtom([story], config);
    for (const piece of KEPT) expect(atom).toContain(piece);
    const json = JSON.parse(renderJsonFeed([story], config)) as { items: { content_html: string }[] };
    for (const piece of KEPT) expect(json.items[0]!.content_html).toContain(piece);
  });

  it('gives the digest a summary in plain text, without Markdown marks or tags', async () => {
    const digest = DigestRenderer.create(templates, config);
    const parts = digest.render(
      { id: '2021-09-01', date: story.date, stories: [story] },
      { viewInBrowserUrl: 'https://news.example.org/digest.html', unsubscribeUrl: 'https://u.example/x' },
    );
    expect(story.summary).toBe('Banks in Kabul reopened, finally, with long queues and no cash.');
    expect(parts.html).toContain('Banks in Kabul reopened, finally, with long queues and no cash.');
    expect(parts.text).toContain('Banks in Kabul reopened, finally, with long queues and no cash.');
    expect(parts.text).not.toMatch(/\*\*|<strong>/);
  });

  it('takes the first body image as the lead image when the front matter names none', () => {
    expect(article.image).toEqual({
      src: 'https://example.org/queue.jpg',
      alt: 'A queue',
      fromFrontMatter: false,
    });
  });
});

describe('plain-text articles', () => {
  it('turn bare URLs into links and keep paragraphs, subheadings and tweet quotes', () => {
    const { article } = parse(
      'plain.txt',
      [
        'Banks reopen in Kabul',
        '',
        'Banks in Kabul reopened on Saturday. Queues were long, and tempers short.',
        '',
        'The central bank published its notice at https://example.org/notice?id=3&x=1 on Saturday.',
        '',
        'Queues formed early',
        '',
        'People queued from dawn, and javascript:alert(1) stays text.',
        '',
        'Long queues today — Jane Doe (@jane) August 28, 2021',
        '',
        'The end of the story came later in the day, said officials.',
      ].join('\n'),
    );
    const html = site.renderArticle(storyOf(article));
    expect(html).toContain(
      '<p>The central bank published its notice at <a href="https://example.org/notice?id=3&amp;x=1" rel="noopener">https://example.org/notice?id=3&amp;x=1</a> on Saturday.</p>',
    );
    expect(html).toContain('<h2>Queues formed early</h2>');
    expect(html).toContain('<p>People queued from dawn, and javascript:alert(1) stays text.</p>');
    expect(html).toMatch(/<blockquote><p>Long queues today<\/p><footer>— Jane Doe \(@jane\)/);
    expect(html).not.toContain('href="javascript');
  });
});

/** Vectors from the OWASP XSS filter evasion cheat sheet and html5sec.org, as raw HTML and as Markdown. */
const XSS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>',
  '<IMG SRC="jav&#x09;ascript:alert(1);">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="  javascript:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<a href="vbscript:msgbox(1)">click</a>',
  '<a href="//evil.example/">protocol-relative</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<style>@import "https://evil.example/x.css";</style>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<p onclick="alert(1)" onmouseover="alert(1)">paragraph</p>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<a href="https://ok.example/" onclick="alert(1)">ok</a>',
  '[md link](javascript:alert(1))',
  '[md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![md image](javascript:alert(1))',
  '![md data image](data:image/png;base64,iVBORw0KGgo=)',
  '<javascript:alert(1)>',
  '[ref][r]\n\n[r]: javascript:alert(1)',
];

const ALLOWED_TAGS = new Set(
  'p br hr h2 h3 h4 h5 h6 strong b em i s del ins mark sub sup small abbr q cite code pre kbd samp blockquote ul ol li dl dt dd a img figure figcaption table caption thead tbody tfoot tr th td footer'.split(
    ' ',
  ),
);

/** Every tag and attribute of sanitised output (which writes attributes as name="value"). */
function tagsOf(html: string): { name: string; attrs: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((match) => ({
    name: match[1]!.toLowerCase(),
    attrs: Object.fromEntries([...match[2]!.matchAll(/([^\s=/]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  }));
}

describe('the sanitiser against an XSS list', () => {
  let outputs: { vector: string; html: string; codes: string[] }[] = [];
  beforeAll(() => {
    outputs = XSS.map((vector) => {
      const { article, warnings } = parse(
        'xss.md',
        `---\ntitle: XSS\n---\n\nBefore.\n\n${vector}\n\nAfter.\n`,
      );
      const html = site.renderArticle(storyOf(article));
      const body = html.slice(
        html.indexOf('<div class="body">'),
        html.indexOf('<footer class="article-footer">'),
      );
      return { vector, html: body, codes: warnings.map((w) => w.code) };
    });
  });

  it('leaves no script, event handler, frame or unsafe URL in the page', () => {
    for (const { vector, html } of outputs) {
      for (const tag of tagsOf(html)) {
        expect(ALLOWED_TAGS.has(tag.name) || tag.name === 'div', `${vector}: <${tag.name}>`).toBe(true);
        for (const [name, value] of Object.entries(tag.attrs)) {
          expect(name.startsWith('on'), `${vector}: ${name}`).toBe(false);
          expect(
            ['style', 'background', 'srcdoc', 'action'].includes(name) &&
              tag.name !== 'th' &&
              tag.name !== 'td',
            `${vector}: ${name}`,
          ).toBe(false);
          if (name === 'href') expect(value, vector).toMatch(/^(?:https?:\/\/|mailto:)/);
          // A relative path is a file beside the article, which the build publishes or drops with a warning.
          if (name === 'src') expect(value, vector).toMatch(/^(?:https?:\/\/|(?![a-z][a-z0-9+.-]*:)[^/\s])/i);
        }
      }
      expect(html, vector).not.toMatch(/<script|<iframe|<svg|<object|<embed|<style|<base|<meta|<link|<form/i);
    }
  });

  it('keeps the text around each vector and reports what it removed as a warning', () => {
    for (const { vector, html, codes } of outputs) {
      expect(html, vector).toContain('Before.');
      expect(html, vector).toContain('After.');
      // Markdown's own link syntax refuses unsafe URLs itself and shows the source as text: nothing is lost.
      if (vector.startsWith('<') && !vector.startsWith('<javascript:')) {
        expect(codes, vector).toContain('markup-dropped');
      }
    }
  });

  it('names the file and the construct in the warning', () => {
    const { warnings } = parse(
      'desk/xss.md',
      'Text <iframe src="https://e.example/"></iframe> and <a href="javascript:x()">a link</a>.',
    );
    expect(warnings.map((w) => w.message)).toEqual([
      'desk/xss.md: removed <iframe> element: not allowed in a published article',
      'desk/xss.md: removed link to a javascript: URL (its text is kept): not allowed in a published article',
    ]);
  });
});
