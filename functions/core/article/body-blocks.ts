import type { Block } from '../model.js';
import { markSubheadings } from './subheadings.js';
import { parseTweetEmbed, removeTwitterLinks } from './tweet-embed.js';

function pushTweet(blocks: Block[], text: string, cite: string): void {
  if (text) {
    blocks.push({ kind: 'quote', text, cite });
    return;
  }
  // An attribution on its own line belongs to the paragraph above it, the tweet's text.
  const previous = blocks[blocks.length - 1];
  if (
    previous !== undefined &&
    previous.kind !== 'heading' &&
    !(previous.kind === 'quote' && previous.cite)
  ) {
    blocks[blocks.length - 1] = { kind: 'quote', text: previous.text, cite };
  }
}

/**
 * Final pass over body blocks of either format: pasted tweet embeds become cited quotes, leftover
 * Twitter links go, empty blocks go. Subheadings are guessed only for plain text (`guessSubheadings`):
 * Markdown marks its own.
 */
export function finishBlocks(blocks: readonly Block[], guessSubheadings: boolean): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      out.push(block);
      continue;
    }
    const tweet = block.kind === 'quote' && block.cite ? undefined : parseTweetEmbed(block.text);
    if (tweet !== undefined) {
      pushTweet(out, tweet.text, tweet.cite);
      continue;
    }
    const text = removeTwitterLinks(block.text);
    if (text) out.push({ ...block, text });
  }
  return guessSubheadings ? markSubheadings(out) : out;
}
