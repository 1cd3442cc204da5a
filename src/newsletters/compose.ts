// Which stories an automatic issue carries, and in what order: the editors' own judgement
// first (the home page's lead and top stories), then the rest of the window's stories the way
// the paper is laid out (section by section), each section newest first.
import type { AccessClass } from '../db/schema.ts';

export interface StoryCandidate {
  id: number;
  publishedAt: number;
  sectionId: number;
  /** The section's place in the paper's section order (lower comes first). */
  sectionPosition: number;
  access: AccessClass;
}

/** Enough for a digest that is read in full, and well under Gmail's 102 KB clipping point. */
export const DEFAULT_MAX_STORIES = 12;

/** Home-page picks first in their order (lead, then top stories) if they are candidates, then the rest grouped by section (section order), newest first within a section; at most `max` (default 12). */
export function composeStories(input: { candidates: StoryCandidate[]; picks: number[]; max?: number }): number[] {
  const max = Math.max(0, Math.floor(input.max ?? DEFAULT_MAX_STORIES));
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  const chosen: number[] = [];
  const isChosen = new Set<number>();
  const take = (id: number) => {
    if (chosen.length < max && !isChosen.has(id)) {
      chosen.push(id);
      isChosen.add(id);
    }
  };

  // A pick outside the window (yesterday's lead still on the home page) was in an earlier issue.
  for (const id of input.picks) if (byId.has(id)) take(id);

  const rest = [...byId.values()]
    .filter((c) => !isChosen.has(c.id))
    .sort((a, b) =>
      a.sectionPosition - b.sectionPosition
      || a.sectionId - b.sectionId
      || b.publishedAt - a.publishedAt
      || b.id - a.id);
  for (const c of rest) take(c.id);
  return chosen;
}
