/**
 * Validation of a decoded local state before it is trusted: every number that is later used as an
 * offset, a length or an index is bounded, and the cross-references between its maps hold (every
 * article is in the story that names it, and that story lists it). A state that fails any check is
 * rebuilt from the articles (see `state-store.ts`): a bad offset must never become an endless loop or
 * a story that silently goes missing.
 */
import type { BlobEntry, BuildState, StateHead } from './state.js';

/** Blob file names the store writes: `index.g3.bin`, `index-tail.g4.bin`, `shingles-2.g3.bin`. Anything else is refused. */
export const BLOB_FILE = /^[a-z]+(?:-[a-z]+)?(?:-\d+)?\.g\d+\.bin$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** The blobs every non-empty state needs. */
export const REQUIRED_BLOBS = ['index.bin', 'lines.bin', 'entities.bin', 'templates.bin'];

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** Where a stored doc's features are; `seg` names the blob `shingles-<seg>.bin`. */
interface Placement {
  docNum: unknown;
  seg: unknown;
  off: unknown;
  len: unknown;
}

/** The first problem of the head alone (`state.json` without its maps); undefined when sound. */
export function headProblem(state: StateHead): string | undefined {
  for (const name of ['build', 'nextSeq', 'nextDocNum', 'nextSeg'] as const)
    if (!isCount(state[name])) return `${name} is not a whole number`;
  if (!Array.isArray(state.editions)) return 'editions is missing';
  if (!isString(state.renderKey)) return 'renderKey is missing';
  const blobs = state.blobs ?? {};
  if (!isMap(blobs)) return 'blobs is not a map';
  for (const [name, entry] of Object.entries(blobs)) {
    const problem = blobEntryProblem(entry);
    if (problem) return `blob ${name}: ${problem}`;
  }
  if (state.retired !== undefined) {
    if (!Array.isArray(state.retired)) return 'retired is not a list';
    for (const file of state.retired)
      if (!isString(file) || !BLOB_FILE.test(file)) return `retired file ${String(file)} is not a blob name`;
  }
  return undefined;
}

/** The first problem found, in words ("file a.txt: offset past the end of shingles-0.bin"); undefined when sound. */
export function stateProblem(state: BuildState): string | undefined {
  const head = headProblem(state);
  if (head) return head;
  for (const name of ['files', 'rejected', 'held', 'stories', 'mailedDocs', 'ghosts'] as const)
    if (!isMap(state[name])) return `${name} is missing`;
  const blobs = state.blobs ?? {};
  if (state.media !== undefined) {
    if (!isMap(state.media)) return 'media is not a map';
    for (const [key, version] of Object.entries(state.media))
      if (!isString(version)) return `media ${key}: version is not a string`;
  }

  // Segment entries by number: a name built per article was a tenth of the check at 100,000 articles.
  const segments = new Map<number, BlobEntry | undefined>();
  const segmentOf = (seg: number) => {
    if (!segments.has(seg)) segments.set(seg, blobs[`shingles-${seg}.bin`]);
    return segments.get(seg);
  };
  const placement = (what: string, record: Placement): string | undefined => {
    if (!isCount(record.docNum) || record.docNum >= state.nextDocNum) return `${what}: docNum out of range`;
    if (!isCount(record.seg) || record.seg >= state.nextSeg) return `${what}: segment out of range`;
    const segment = segmentOf(record.seg);
    if (!segment) return `${what}: its segment shingles-${record.seg}.bin is not in the state`;
    if (!isCount(record.off) || !isCount(record.len) || record.len === 0)
      return `${what}: offset or length is not a whole number`;
    if (record.off + record.len > segment.size)
      return `${what}: bytes ${record.off}–${record.off + record.len} are past the end of shingles-${record.seg}.bin (${segment.size} bytes)`;
    return undefined;
  };

  const files = Object.entries(state.files);
  if (files.length) for (const name of REQUIRED_BLOBS) if (!blobs[name]) return `${name} is not in the state`;
  const docNums = new Set<number>();
  for (const [key, record] of files) {
    if (!isMap(record)) return `file ${key}: not a record`;
    const problem = placement(`file ${key}`, record);
    if (problem) return problem;
    if (docNums.has(record.docNum)) return `file ${key}: docNum ${record.docNum} is used twice`;
    docNums.add(record.docNum);
    if (!isCount(record.seq) || record.seq >= state.nextSeq) return `file ${key}: seq out of range`;
    if (!isCount(record.keys) || !isCount(record.size)) return `file ${key}: sizes are not whole numbers`;
    for (const name of ['docId', 'version', 'date', 'firstSeen', 'title', 'story'] as const)
      if (!isString(record[name])) return `file ${key}: ${name} is missing`;
    if (record.media !== undefined && !(Array.isArray(record.media) && record.media.every(isString)))
      return `file ${key}: media is not a list of paths`;
    const story = state.stories[record.story];
    if (!story) return `file ${key}: its story ${record.story} is not in the state`;
    if (!Array.isArray(story.members) || !story.members.includes(key))
      return `file ${key}: its story ${record.story} does not list it`;
  }
  let members = 0;
  for (const [id, story] of Object.entries(state.stories)) {
    if (!isMap(story) || !Array.isArray(story.members) || story.members.length === 0)
      return `story ${id}: no members`;
    for (const name of ['slug', 'canonical', 'date', 'updated', 'title'] as const)
      if (!isString(story[name])) return `story ${id}: ${name} is missing`;
    if (!story.members.includes(story.canonical)) return `story ${id}: its canonical article is not a member`;
    for (const key of story.members)
      if (state.files[key]?.story !== id) return `story ${id}: member ${key} is not an article of it`;
    members += story.members.length;
  }
  if (members !== files.length) return `stories list ${members} articles, the state holds ${files.length}`;
  const ghosts = Object.entries(state.ghosts);
  if (ghosts.length && !blobs['ghosts.bin']) return 'ghosts.bin is not in the state';
  for (const [docId, ghost] of ghosts) {
    if (!isMap(ghost)) return `ghost ${docId}: not a record`;
    const problem = placement(`ghost ${docId}`, ghost);
    if (problem) return problem;
  }
  for (const [source, record] of [...Object.entries(state.rejected), ...Object.entries(state.held)])
    if (!isMap(record) || !isString(record.version)) return `${source}: version is missing`;
  for (const edition of state.editions)
    if (!isMap(edition) || !isCount(edition.number) || !Array.isArray(edition.storyIds))
      return 'an edition is not a record';
  return undefined;
}

function blobEntryProblem(entry: unknown): string | undefined {
  if (!isMap(entry)) return 'not a record';
  const { file, size, sha256 } = entry as Partial<BlobEntry>;
  if (!isString(file) || !BLOB_FILE.test(file)) return 'file name is not a blob name';
  if (!isCount(size)) return 'size is not a whole number';
  if (!isString(sha256) || !SHA256.test(sha256)) return 'checksum is not a SHA-256';
  return undefined;
}
