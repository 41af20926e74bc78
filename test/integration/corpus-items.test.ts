/**
 * The story table's corpus index (`DynamoCorpusIndex`) against dynalite: line and entity postings in
 * sampling order (by docId) with a limit, marks of common lines, the template set, and the story of
 * each doc read from head items only.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoCorpusIndex } from '../../functions/adapters/aws/corpus-items.js';
import { DynamoTable } from '../../functions/adapters/aws/dynamo-table.js';
import { DynamoIngestStore } from '../../functions/adapters/aws/ingest-store.js';
import type { DocItem } from '../../functions/core/cloud/ports.js';
import { createStoryTable } from '../helpers/emulators.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const world = useStoryEmulators('corpus-items-articles');

async function fresh() {
  const table = `c-${randomUUID().slice(0, 8)}`;
  await createStoryTable(world.clients.dynamo, table);
  const dynamo = new DynamoTable(world.clients.dynamo, table);
  return {
    index: new DynamoCorpusIndex(dynamo),
    store: new DynamoIngestStore(dynamo),
  };
}

const none = new Uint32Array(0);

describe('DynamoCorpusIndex', () => {
  it('lists the carriers of a line or an entity by docId, at most the limit, and forgets removed ones', async () => {
    const { index } = await fresh();
    // More postings than one batch write (25): one doc with 30 lines.
    await index.addCarrier(
      'ff00',
      Uint32Array.from({ length: 30 }, (_, i) => i),
      Uint32Array.of(7),
    );
    await index.addCarrier('0a00', Uint32Array.of(1, 2, 2), Uint32Array.of(7, 8));
    await index.addCarrier('5b00', Uint32Array.of(1), none);
    expect(await index.lineCarriers(1)).toEqual(['0a00', '5b00', 'ff00']);
    expect(await index.lineCarriers(1, 2)).toEqual(['0a00', '5b00']);
    expect(await index.lineCarriers(29)).toEqual(['ff00']);
    expect(await index.entityCarriers(7)).toEqual(['0a00', 'ff00']);
    expect(await index.lineCarriers(0xffffffff)).toEqual([]);
    await index.removeCarrier('0a00', Uint32Array.of(1, 2), Uint32Array.of(7, 8));
    expect(await index.lineCarriers(1)).toEqual(['5b00', 'ff00']);
    expect(await index.entityCarriers(7)).toEqual(['ff00']);
    expect(await index.entityCarriers(8)).toEqual([]);
  });

  it('keeps the common marks and the template set', async () => {
    const { index } = await fresh();
    await index.setCommon([1, 2, 0xffffffff], []);
    await index.setCommon([3], [2]);
    expect([...(await index.commonLines([1, 2, 3, 4, 0xffffffff]))].sort()).toEqual([1, 3, 0xffffffff]);
    expect(await index.commonLines([])).toEqual(new Set());
    await index.setTemplates([10, 11, 0x80000000], []);
    await index.setTemplates([], [11]);
    expect([...(await index.templates())].sort()).toEqual([10, 0x80000000]);
  });

  it("reads each doc's story from its head item", async () => {
    const { index, store } = await fresh();
    const doc = (docId: string, storyId?: string): DocItem => ({
      docId,
      key: `${docId}.txt`,
      seq: 1,
      date: '2021-01-01',
      title: docId,
      tokens: Uint32Array.of(1, 2, 3),
      lineEnds: Uint32Array.of(3),
      fps: Uint32Array.of(5),
      entities: none,
      particulars: none,
      flags: 0,
      ...(storyId ? { storyId } : {}),
    });
    await store.putDoc(doc('d1', 's1'));
    await store.putDoc(doc('d2'));
    expect(await index.docStories(['d1', 'd2', 'd3', 'd1'])).toEqual(new Map([['d1', 's1']]));
  });
});
