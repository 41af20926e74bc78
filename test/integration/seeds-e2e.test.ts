import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../functions/core/render/html.js';
import { articleId } from '../../functions/core/stories/prepare.js';
import { type CliRun, runCli, workspace } from '../helpers/cli.js';
import {
  newsboatUnread,
  parseWithFeedparser,
  readJsonFeedWithPython,
  validateJsonFeed,
  xmllintCheck,
} from '../helpers/readers.js';

const SEED = {
  s000: '000_8e65d67321044a22.txt',
  s001: '001_c49de1067c077a2e.txt',
  s002: '002_1053def13e2cd472.txt',
  s003: '003_7eae227dbbbca2f7.txt',
  s004: '004_362068bbac3e72bc.txt',
};

describe('the five seed articles, end to end through the CLI', () => {
  const ws = workspace();
  let run: CliRun;

  it('publishes four stories, with 000 merged into the story 001 completes', () => {
    run = runCli(ws);
    expect(run.status, run.stderr).toBe(0);
    const { report } = run;
    expect(report.rejected).toEqual([]);
    expect(report.stories).toHaveLength(4);
    const merged = report.stories.find((story) => story.members.includes(SEED.s000));
    expect(merged?.members.sort()).toEqual([SEED.s000, SEED.s001]);
    // 000 is dated, 001 is not: within one run the dated one is seen first, so the story keeps 000's id.
    expect(merged?.id).toBe(articleId(SEED.s000));
    expect(report.merges).toEqual([
      expect.objectContaining({ source: SEED.s000, into: SEED.s001, story: articleId(SEED.s000) }),
    ]);
    expect(report.merges[0]!.containment).toBeGreaterThan(0.9);
    for (const single of [SEED.s002, SEED.s003, SEED.s004]) {
      expect(report.stories.find((story) => story.members.includes(single))?.members).toEqual([single]);
    }
  });

  it('gives each story the title and date a reader of the seeds expects, newest first', () => {
    const byMember = (key: string) => run.report.stories.find((story) => story.members.includes(key))!;
    expect(byMember(SEED.s001).title).toBe(
      'Taliban resistance movement claims gains in two Afghanistan districts',
    );
    expect(byMember(SEED.s001).date).toBe('2021-08-23T00:00:00.000Z');
    expect(byMember(SEED.s004).title).toBe(
      'Taliban say it has surrounded Afghan resistance fighters, calls for peace',
    );
    expect(byMember(SEED.s004).date).toBe('2021-09-01T00:00:00.000Z');
    expect(byMember(SEED.s002).title).toMatch(
      /^Last week as the Taliban surrounded and eventually took over Kabul/,
    );
    expect(byMember(SEED.s002).date).toBe('2021-08-24T00:00:00.000Z');
    expect(byMember(SEED.s003).title).toMatch(/Taliban seeks to intensify control over Afghanistan/);
    expect(byMember(SEED.s003).date).toBe('2021-08-21T00:00:00.000Z');
    for (const story of run.report.stories) {
      expect(story.title.length).toBeLessThanOrEqual(95);
      expect(story.title).not.toMatch(/\s$/);
    }
    expect(run.report.stories.map((story) => story.date)).toEqual([
      '2021-09-01T00:00:00.000Z',
      '2021-08-24T00:00:00.000Z',
      '2021-08-23T00:00:00.000Z',
      '2021-08-21T00:00:00.000Z',
    ]);
  });

  it('writes feeds that python3-feedparser reads without error, with the stories ids as guids', () => {
    const ids = run.report.stories.map((story) => story.id);
    const titles = run.report.stories.map((story) => story.title);
    for (const file of ['feed.xml', 'atom.xml']) {
      const parsed = parseWithFeedparser(join(ws.out, file));
      expect(parsed.bozo, `${file}: ${parsed.bozoException}`).toBe(false);
      expect(parsed.entries.map((entry) => entry.title)).toEqual(titles);
      expect(parsed.entries.map((entry) => entry.id ?? '').map((id) => id.replace(/^.*[:/]/, ''))).toEqual(
        ids,
      );
    }
    const [json] = readJsonFeedWithPython([join(ws.out, 'feed.json')]);
    expect(json!.items.map((item) => item.id)).toEqual(ids);
  });

  it('writes RSS that newsboat reads as four unread items, XML that xmllint accepts, and valid JSON Feed 1.1', () => {
    expect(newsboatUnread(join(ws.out, 'feed.xml'))).toBe(4);
    const lint = xmllintCheck([join(ws.out, 'feed.xml'), join(ws.out, 'atom.xml')]);
    expect(lint.ok, lint.output).toBe(true);
    const validation = validateJsonFeed(JSON.parse(readFileSync(join(ws.out, 'feed.json'), 'utf8')));
    expect(validation.errors).toEqual([]);
  });

  it('writes the home page, one page per story, the month archives and the first digest edition', () => {
    for (const story of run.report.stories) {
      const page = readFileSync(join(ws.out, 'articles', `${story.slug}.html`), 'utf8');
      expect(page).toMatch(/^<!doctype html>/i);
      expect(page).toContain(`<h1>${escapeHtml(story.title)}</h1>`);
    }
    const index = readFileSync(join(ws.out, 'index.html'), 'utf8');
    for (const story of run.report.stories) expect(index).toContain(`articles/${story.slug}.html`);
    expect(index).toMatch(/<link[^>]+rel="alternate"[^>]+application\/rss\+xml/);
    expect(existsSync(join(ws.out, 'archive', '2021-08.html'))).toBe(true);
    expect(existsSync(join(ws.out, 'archive', '2021-09.html'))).toBe(true);
    expect(run.report.edition?.stories).toBe(4);
    // The text part wraps prose at 72 columns.
    const text = readFileSync(join(ws.out, 'digest.txt'), 'utf8').replace(/\s+/g, ' ');
    for (const story of run.report.stories) expect(text).toContain(story.title);
    const subject = readFileSync(join(ws.out, 'digest-subject.txt'), 'utf8');
    expect(subject).not.toMatch(/[\r\n]./);
  });
});
