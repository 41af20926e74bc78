/**
 * A slug safe for any title: lower-case ASCII letters, digits and hyphens only, at most 60 characters
 * of title, then the story id so that two stories with the same title never share a page.
 */
export function slugify(title: string, id: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let cut = base.slice(0, 60);
  if (base.length > 60) {
    const lastHyphen = cut.lastIndexOf('-');
    if (lastHyphen > 20) cut = cut.slice(0, lastHyphen);
  }
  const safeId = id
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12);
  return cut ? `${cut}-${safeId}` : `story-${safeId}`;
}
