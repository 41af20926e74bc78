import { fmix32, fnv1a } from './dedup/hash.js';

/**
 * A tag's URL slug (`tags/<slug>/`): safe (lower-case ASCII letters, digits, hyphens), stable (it depends
 * on the tag alone, never on which other tags exist) and collision-free. Tags are compared without
 * regard to case (`Politics` and `politics` are one tag). A tag that is already its own slug keeps it
 * (`economy`); any other gets a short hash of its lower-case form appended, so that `C`, `C++` and `C#`
 * or `Économie` and `economie` never share a page.
 */
export function tagSlug(tag: string): string {
  const key = tagKey(tag);
  const base = key
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  if (base === key) return base;
  const hash = fmix32(fnv1a(key)).toString(36).padStart(7, '0');
  return base ? `${base}-${hash}` : `tag-${hash}`;
}

/** What makes two tags the same tag: NFC, trimmed, inner spaces collapsed, lower case. */
export function tagKey(tag: string): string {
  return tag.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface TagEntry {
  slug: string;
  /** The name shown: of the spellings in use, the first in code-point order (stable whatever the input order). */
  name: string;
}

/** The distinct tags of a set of tag lists, by slug, in slug order. */
export function distinctTags(lists: Iterable<readonly string[] | undefined>): TagEntry[] {
  const bySlug = new Map<string, string>();
  for (const list of lists)
    for (const tag of list ?? []) {
      if (!tag.trim()) continue;
      const slug = tagSlug(tag);
      const shown = bySlug.get(slug);
      if (shown === undefined || tag < shown) bySlug.set(slug, tag);
    }
  return [...bySlug].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([slug, name]) => ({ slug, name }));
}
