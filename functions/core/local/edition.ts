import type { Edition, Story } from '../model.js';

/**
 * The next edition of the digest. Its id comes from its number, never from the clock, so the same
 * input and state always give the same edition; its date is that of its newest story.
 */
export function planEdition(number: number, stories: readonly Story[]): Edition {
  const date =
    stories
      .map((story) => story.date)
      .sort()
      .at(-1) ?? '';
  return { id: `edition-${String(number).padStart(4, '0')}`, date, stories: [...stories] };
}
