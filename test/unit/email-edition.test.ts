/**
 * The edition use case on in-memory ports (the DynamoDB, S3 and SQS adapters are exercised in
 * test/integration/email-editions.test.ts): the id from the schedule time, the story window, the
 * story cap, empty editions, duplicates and resumed runs, the outbox chunks and the public copy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoryItem } from '../../functions/core/cloud/ports.js';
import { fillUnsubscribe, MissingUnsubscribeLinkError } from '../../functions/core/email/edition-content.js';
import {
  InvalidScheduleTimeError,
  isEditionId,
  scheduledEdition,
} from '../../functions/core/email/edition-id.js';
import type {
  CreateEditionResult,
  EditionContent,
  EditionRecord,
  EditionSendMessage,
  EditionStore,
} from '../../functions/core/email/edition-ports.js';
import { type EditionDeps, runEdition } from '../../functions/core/email/edition-run.js';
import {
  fanOut,
  MAX_RECIPIENTS_PER_MESSAGE,
  MalformedSendMessageError,
  parseEditionSendMessage,
} from '../../functions/core/email/fan-out.js';
import type { Recipient, RecipientDirectory } from '../../functions/core/email/ports.js';
import type { OutputFile } from '../../functions/core/model.js';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { listingStory } from '../../functions/core/stories/story-view.js';
import { makeConfig } from '../fixtures/stories.js';
import { loadBuiltTemplates } from '../helpers/templates.js';

const config = makeConfig();
let renderer: DigestRenderer;
beforeAll(async () => {
  renderer = DigestRenderer.create(await loadBuiltTemplates(), config);
});

describe('scheduledEdition', () => {
  it('names the edition by the UTC minute of the schedule time', () => {
    expect(scheduledEdition('2026-11-25T07:00:00Z')).toEqual({
      editionId: 'e-2026-11-25T0700Z',
      scheduledTime: '2026-11-25T07:00:00.000Z',
    });
    // Another zone, seconds and milliseconds: the same minute, the same edition.
    expect(scheduledEdition('2026-11-25T08:00:59.250+01:00').editionId).toBe('e-2026-11-25T0700Z');
    expect(scheduledEdition('2026-11-25T06:30-00:30').editionId).toBe('e-2026-11-25T0700Z');
    expect(isEditionId(scheduledEdition('2026-01-02T03:04:05Z').editionId)).toBe(true);
  });

  it.each([
    undefined,
    42,
    '',
    '2026-11-25',
    '2026-11-25T07:00:00',
    '2026-02-31T07:00:00Z',
    '2026-11-25T25:00:00Z',
    'tomorrow at seven',
  ])('refuses %j with a message naming it', (input) => {
    expect(() => scheduledEdition(input)).toThrow(InvalidScheduleTimeError);
    expect(() => scheduledEdition(input)).toThrow(/scheduledTime/);
  });
});

// --- in-memory ports ------------------------------------------------------------------------------

class MemoryEditions implements EditionStore {
  records = new Map<string, EditionRecord>();
  contents = new Map<string, EditionContent>();

  async create(record: EditionRecord): Promise<CreateEditionResult> {
    const existing = this.records.get(record.id);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.records.set(record.id, structuredClone(record));
    return { created: true };
  }
  async get(id: string) {
    return this.records.get(id);
  }
  async previousNonEmpty(id: string) {
    return [...this.records.values()]
      .filter((r) => r.id < id && r.status !== 'empty')
      .sort((a, b) => (a.id < b.id ? 1 : -1))[0];
  }
  async putContent(content: EditionContent) {
    this.contents.set(content.editionId, content);
  }
  async getContent(id: string) {
    return this.contents.get(id);
  }
  private move(id: string, from: EditionRecord['status'], fields: Partial<EditionRecord>) {
    const record = this.records.get(id);
    if (record?.status !== from) return false;
    Object.assign(record, fields);
    return true;
  }
  async markSending(id: string, plan: { cutoff?: string; storyIds: string[]; subject: string }) {
    return this.move(id, 'planning', { status: 'sending', ...plan });
  }
  async markEmpty(id: string, cutoff: string | undefined) {
    return this.move(
      id,
      'planning',
      cutoff === undefined ? { status: 'empty' } : { status: 'empty', cutoff },
    );
  }
  async markSent(id: string, recipients: number) {
    return this.move(id, 'sending', { status: 'sent', recipients });
  }
}

function storyItem(id: string, createdAt: string, date = createdAt): StoryItem {
  return {
    id,
    createdAt,
    slug: `story-${id}`,
    canonical: `${id}.txt`,
    members: [`${id}.txt`],
    date,
    updated: date,
    title: `Title of ${id}`,
    evidence: {},
    createdBuild: 1,
  };
}

function recipients(n: number, confirmedAt = '2026-11-01T00:00:00.000Z'): Recipient[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i.toString(16).padStart(32, '0'),
    address: `reader${i}@example.org`,
    confirmedAt,
  }));
}

/** Pages of `pageSize`, honouring the strict `before` bound. */
function memoryDirectory(
  all: Recipient[],
  pageSize = 7,
): Pick<RecipientDirectory, 'confirmedBefore'> & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    async confirmedBefore(before, cursor) {
      calls.push(before);
      const eligible = all.filter((r) => r.confirmedAt < before);
      const start = cursor ? Number(cursor) : 0;
      const page = eligible.slice(start, start + pageSize);
      const next = start + pageSize;
      return next < eligible.length ? { recipients: page, cursor: String(next) } : { recipients: page };
    },
  };
}

function harness(stories: StoryItem[], readers: Recipient[]) {
  const editions = new MemoryEditions();
  const queued: EditionSendMessage[] = [];
  const files = new Map<string, OutputFile>();
  const invalidated: string[] = [];
  const refreshed: string[] = [];
  const windows: Array<[string | undefined, string]> = [];
  const directory = memoryDirectory(readers);
  const deps: EditionDeps = {
    editions,
    stories: {
      async createdBetween(after, upTo, limit) {
        windows.push([after, upTo]);
        return stories
          .filter((s) => (after === undefined || s.createdAt > after) && s.createdAt <= upTo)
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
          .slice(0, limit);
      },
    },
    loadStory: async (item) => ({ ...listingStory(item.id, item), summary: `Summary of ${item.id}` }),
    renderer,
    config,
    maxStories: 3,
    sink: {
      async write(file) {
        const same = files.get(file.path)?.body === file.body;
        files.set(file.path, file);
        return !same;
      },
      async remove(path) {
        files.delete(path);
      },
      async exists(path) {
        return files.has(path);
      },
    },
    invalidator: {
      async invalidate(paths) {
        invalidated.push(...paths);
        return undefined;
      },
    },
    directory,
    outbox: {
      async enqueue(messages) {
        queued.push(...messages);
      },
    },
    siteRefresh: {
      async requestIndexRender(storyId, editionId) {
        refreshed.push(`${editionId}:${storyId}`);
      },
    },
    clock: { now: () => new Date('2026-11-25T07:00:03.000Z') },
  };
  return { deps, editions, queued, files, invalidated, refreshed, windows, directory };
}

const T1 = '2026-11-24T07:00:00Z';
const T2 = '2026-11-25T07:00:00Z';
const T3 = '2026-11-26T07:00:00Z';

describe('runEdition', () => {
  it('sends the stories first published since the previous edition, newest by date, capped', async () => {
    const stories = [
      storyItem('a', '2026-11-23T10:00:00.000Z'),
      storyItem('b', '2026-11-24T07:00:00.000Z'), // exactly at T1: belongs to edition 1
      storyItem('c', '2026-11-24T09:00:00.000Z', '2026-11-20T00:00:00.000Z'), // old date, new to the site
      storyItem('d', '2026-11-24T12:00:00.000Z'),
      storyItem('e', '2026-11-24T18:00:00.000Z'),
      storyItem('f', '2026-11-25T01:00:00.000Z'),
      storyItem('g', '2026-11-25T07:00:00.001Z'), // after T2
    ];
    const h = harness(stories, recipients(3));

    const first = await runEdition(h.deps, T1);
    expect(first).toMatchObject({
      action: 'sent',
      editionId: 'e-2026-11-24T0700Z',
      stories: 2,
      recipients: 3,
    });
    expect(h.editions.records.get('e-2026-11-24T0700Z')).toMatchObject({
      status: 'sent',
      storyIds: ['b', 'a'],
    });
    expect(h.windows[0]).toEqual([undefined, '2026-11-24T07:00:00.000Z']);

    const second = await runEdition(h.deps, T2);
    expect(second).toMatchObject({
      action: 'sent',
      editionId: 'e-2026-11-25T0700Z',
      stories: 3,
      resumed: false,
    });
    // Window (T1, T2]: c d e f; capped at 3, newest by story date first: f e d (c's date is oldest).
    const record = h.editions.records.get('e-2026-11-25T0700Z')!;
    expect(record).toMatchObject({
      status: 'sent',
      cutoff: '2026-11-24T07:00:00.000Z',
      storyIds: ['f', 'e', 'd'],
      recipients: 3,
    });
    expect(h.windows[1]).toEqual(['2026-11-24T07:00:00.000Z', '2026-11-25T07:00:00.000Z']);
    const content = h.editions.contents.get('e-2026-11-25T0700Z')!;
    expect(content.subject).toBe(record.subject);
    for (const id of ['f', 'e', 'd']) {
      expect(content.html).toContain(`Title of ${id}`);
      expect(content.text).toContain(`Title of ${id}`);
    }
    expect(content.text).not.toContain('Title of c');
    expect(h.refreshed).toEqual(['e-2026-11-24T0700Z:b', 'e-2026-11-25T0700Z:f']);
  });

  it('archives a public copy whose unsubscribe link leads to the subscribe form', async () => {
    const h = harness([storyItem('a', '2026-11-24T10:00:00.000Z')], recipients(1));
    const outcome = await runEdition(h.deps, T2);
    expect(outcome).toMatchObject({ archived: 'digests/e-2026-11-25T0700Z.html' });
    const content = h.editions.contents.get('e-2026-11-25T0700Z')!;
    const archived = h.files.get('digests/e-2026-11-25T0700Z.html')!;
    expect(archived.contentType).toBe('text/html; charset=utf-8');
    expect(archived.body).toContain('Title of a');
    expect(archived.body).not.toContain(content.placeholder);
    expect(archived.body).toContain('href="https://news.example.org/index.html#subscribe"');
    expect(archived.body).toContain('https://news.example.org/digests/e-2026-11-25T0700Z.html');
    expect(h.invalidated).toEqual(['/digests/e-2026-11-25T0700Z.html']);
    // The stored parts keep the placeholder for the sender, once per part at least.
    expect(content.html).toContain(content.placeholder);
    expect(content.text).toContain(content.placeholder);
  });

  it('makes no edition, no archive and no mail when nothing is new', async () => {
    const h = harness([storyItem('a', '2026-11-23T10:00:00.000Z')], recipients(2));
    await runEdition(h.deps, T1);
    const outcome = await runEdition(h.deps, T2);
    expect(outcome).toEqual({
      action: 'empty',
      editionId: 'e-2026-11-25T0700Z',
      cutoff: '2026-11-24T07:00:00.000Z',
    });
    expect(h.editions.records.get('e-2026-11-25T0700Z')?.status).toBe('empty');
    expect(h.editions.contents.has('e-2026-11-25T0700Z')).toBe(false);
    expect(h.files.has('digests/e-2026-11-25T0700Z.html')).toBe(false);
    expect(h.queued.filter((m) => m.editionId === 'e-2026-11-25T0700Z')).toEqual([]);
  });

  it('looks back past empty editions to the last one that was sent', async () => {
    const h = harness(
      [storyItem('a', '2026-11-23T10:00:00.000Z'), storyItem('late', '2026-11-24T06:59:00.000Z')],
      recipients(1),
    );
    h.editions.records.set('e-2026-11-23T0700Z', {
      id: 'e-2026-11-23T0700Z',
      status: 'sent',
      scheduledTime: '2026-11-23T07:00:00.000Z',
      createdAt: '2026-11-23T07:00:01.000Z',
    });
    h.editions.records.set('e-2026-11-24T0700Z', {
      id: 'e-2026-11-24T0700Z',
      status: 'empty',
      scheduledTime: '2026-11-24T07:00:00.000Z',
      createdAt: '2026-11-24T07:00:01.000Z',
    });
    // `late` was written after the empty edition looked: it is still picked up.
    await runEdition(h.deps, T2);
    expect(h.editions.records.get('e-2026-11-25T0700Z')).toMatchObject({
      cutoff: '2026-11-23T07:00:00.000Z',
      storyIds: ['late', 'a'],
    });
  });

  it('does nothing when the schedule fires again for a sent or empty edition', async () => {
    const h = harness([storyItem('a', '2026-11-24T10:00:00.000Z')], recipients(60));
    await runEdition(h.deps, T2);
    const queued = h.queued.length;
    expect(await runEdition(h.deps, '2026-11-25T07:00:30Z')).toEqual({
      action: 'duplicate',
      editionId: 'e-2026-11-25T0700Z',
      status: 'sent',
    });
    expect(await runEdition(h.deps, T3)).toMatchObject({ action: 'empty' });
    expect(await runEdition(h.deps, T3)).toMatchObject({ action: 'duplicate', status: 'empty' });
    expect(h.queued.length).toBe(queued);
  });

  it('resumes a crashed run: planning plans again, sending queues everyone again', async () => {
    const h = harness([storyItem('a', '2026-11-24T10:00:00.000Z')], recipients(120));
    let failures = 1;
    const enqueue = h.deps.outbox.enqueue;
    h.deps.outbox = {
      async enqueue(messages) {
        if (failures-- > 0) throw new Error('SQS is down');
        await enqueue(messages);
      },
    };
    await expect(runEdition(h.deps, T2)).rejects.toThrow('SQS is down');
    expect(h.editions.records.get('e-2026-11-25T0700Z')?.status).toBe('sending');
    const html = h.editions.contents.get('e-2026-11-25T0700Z')!.html;

    // Lambda's retry, or the schedule firing again later in the same minute.
    const resumed = await runEdition(h.deps, '2026-11-25T07:00:30Z');
    expect(resumed).toMatchObject({ action: 'sent', resumed: true, recipients: 120, messages: 3 });
    expect(new Set(h.directory.calls)).toEqual(new Set(['2026-11-25T07:00:00.000Z']));
    // Not rendered again: the senders of the first attempt may already hold this content.
    expect(h.editions.contents.get('e-2026-11-25T0700Z')!.html).toBe(html);
    const ids = h.queued.flatMap((m) => m.subscriberIds);
    expect(new Set(ids).size).toBe(120);

    // A run that died while planning left nothing queued: the next one plans from scratch.
    h.editions.records.set('e-2026-11-26T0700Z', {
      id: 'e-2026-11-26T0700Z',
      status: 'planning',
      scheduledTime: '2026-11-26T07:00:00.000Z',
      createdAt: '2026-11-26T07:00:01.000Z',
    });
    expect(await runEdition(h.deps, T3)).toMatchObject({ action: 'empty', editionId: 'e-2026-11-26T0700Z' });
  });

  it('queues only subscribers confirmed before the schedule time', async () => {
    const readers = [...recipients(2), ...recipients(1, '2026-11-25T07:00:00.000Z')].map((r, i) => ({
      ...r,
      id: String(i).padStart(32, '0'),
    }));
    const h = harness([storyItem('a', '2026-11-24T10:00:00.000Z')], readers);
    const outcome = await runEdition(h.deps, T2);
    expect(outcome).toMatchObject({ recipients: 2 });
    expect(h.directory.calls.every((before) => before === '2026-11-25T07:00:00.000Z')).toBe(true);
    expect(h.queued.flatMap((m) => m.subscriberIds)).toEqual([readers[0]!.id, readers[1]!.id]);
  });

  it('refuses to render a digest whose template lost the unsubscribe link', async () => {
    const templates = await loadBuiltTemplates();
    const broken = DigestRenderer.create(
      { ...templates, digestText: templates.digestText.replace('{{unsubscribeUrl}}', '') },
      config,
    );
    const h = harness([storyItem('a', '2026-11-24T10:00:00.000Z')], recipients(1));
    h.deps.renderer = broken;
    await expect(runEdition(h.deps, T2)).rejects.toThrow(MissingUnsubscribeLinkError);
    expect(h.queued).toEqual([]);
  });
});

describe('fanOut', () => {
  it('puts every recipient once into messages of at most 50', async () => {
    const readers = recipients(1234);
    const queued: EditionSendMessage[] = [];
    const calls: number[] = [];
    const result = await fanOut(
      {
        directory: memoryDirectory([...readers, ...readers.slice(0, 5)], 97),
        outbox: {
          async enqueue(messages) {
            calls.push(messages.length);
            queued.push(...messages);
          },
        },
      },
      'e-2026-11-25T0700Z',
      '2026-11-25T07:00:00.000Z',
    );
    expect(result).toEqual({ recipients: 1234, messages: Math.ceil(1234 / MAX_RECIPIENTS_PER_MESSAGE) });
    expect(Math.max(...queued.map((m) => m.subscriberIds.length))).toBe(MAX_RECIPIENTS_PER_MESSAGE);
    expect(calls.every((n) => n <= 10)).toBe(true);
    const ids = queued.flatMap((m) => m.subscriberIds);
    expect(ids.length).toBe(1234);
    expect(new Set(ids)).toEqual(new Set(readers.map((r) => r.id)));
    // Each message survives its own wire format.
    for (const message of queued) expect(parseEditionSendMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    ['not JSON', '{'],
    [
      'another kind',
      JSON.stringify({ kind: 'confirm', editionId: 'e-2026-11-25T0700Z', subscriberIds: ['a'.repeat(32)] }),
    ],
    [
      'a bad edition id',
      JSON.stringify({ kind: 'edition', editionId: '2026-11-25', subscriberIds: ['a'.repeat(32)] }),
    ],
    ['no ids', JSON.stringify({ kind: 'edition', editionId: 'e-2026-11-25T0700Z', subscriberIds: [] })],
    [
      '51 ids',
      JSON.stringify({
        kind: 'edition',
        editionId: 'e-2026-11-25T0700Z',
        subscriberIds: Array.from({ length: 51 }, (_, i) => i.toString(16).padStart(32, '0')),
      }),
    ],
    [
      'an address instead of an id',
      JSON.stringify({ kind: 'edition', editionId: 'e-2026-11-25T0700Z', subscriberIds: ['a@b.org'] }),
    ],
  ])('rejects an outbox message with %s', (_, body) => {
    expect(() => parseEditionSendMessage(body)).toThrow(MalformedSendMessageError);
  });
});

describe('fillUnsubscribe', () => {
  it('fills the link in both parts, escaped for HTML', () => {
    const content: EditionContent = {
      editionId: 'e-2026-11-25T0700Z',
      scheduledTime: '2026-11-25T07:00:00.000Z',
      subject: 's',
      html: '<a href="PH">Unsubscribe</a> PH',
      text: 'Unsubscribe: PH',
      placeholder: 'PH',
      archivedPath: 'digests/e-2026-11-25T0700Z.html',
    };
    expect(fillUnsubscribe(content, 'https://x.org/u?a=1&b="2"')).toEqual({
      html: '<a href="https://x.org/u?a=1&amp;b=&quot;2&quot;">Unsubscribe</a> https://x.org/u?a=1&amp;b=&quot;2&quot;',
      text: 'Unsubscribe: https://x.org/u?a=1&b="2"',
    });
  });
});
