// Paywall truncation cuts the block tree, never a string: the teaser is every block up to
// and including the Nth paragraph; the rest is what a locked page leaves out.
import type { Block } from '../content/blocks.ts';

export function splitTeaser(blocks: Block[], paragraphs: number): { teaser: Block[]; rest: Block[] } {
  if (paragraphs <= 0) return { teaser: [], rest: blocks };
  let seen = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].type === 'paragraph' && ++seen === paragraphs) return { teaser: blocks.slice(0, i + 1), rest: blocks.slice(i + 1) };
  }
  return { teaser: blocks, rest: [] };
}
