// Which of the week's stories go into the Weekly when no editor arranged them: the most
// important articles of each section. A plain function of the candidates, so the choice is
// tested table-driven and the store only gathers facts.

export interface EditionCandidate {
  id: number;
  sectionId: number;
  /** The section's place in the paper's order (lower first). */
  sectionPosition: number;
  publishedAt: number;
  wordCount: number;
  /** 0 = the lead story on the home page, 1..n the top stories; null when not on it. */
  frontPageSlot: number | null;
  /** Page views during the week. */
  views: number;
  access: 'free' | 'metered' | 'subscriber';
}

/** Stories per section unless told otherwise: a section is a few pages of the edition, not all of it. */
export const DEFAULT_PER_SECTION = 6;
/** Stories in all unless told otherwise: about a hundred pages. */
export const DEFAULT_MAX_STORIES = 40;

/** Negative when `a` matters more: home-page slot (lead first), then views, then length, then newer, then id. */
export function compareImportance(a: EditionCandidate, b: EditionCandidate): number {
  const slotA = a.frontPageSlot ?? Number.POSITIVE_INFINITY;
  const slotB = b.frontPageSlot ?? Number.POSITIVE_INFINITY;
  if (slotA !== slotB) return slotA < slotB ? -1 : 1;
  if (a.views !== b.views) return b.views - a.views;
  if (a.wordCount !== b.wordCount) return b.wordCount - a.wordCount;
  if (a.publishedAt !== b.publishedAt) return b.publishedAt - a.publishedAt;
  return a.id - b.id;
}

/**
 * The edition's stories: each section's most important, at most `perSection` of them, and
 * the most important `max` of those overall; returned grouped by section in the paper's
 * order (position, then section id), most important first within a section.
 */
export function selectEditionStories(input: { candidates: EditionCandidate[]; perSection?: number; max?: number }): number[] {
  const perSection = Math.max(0, Math.floor(input.perSection ?? DEFAULT_PER_SECTION));
  const max = Math.max(0, Math.floor(input.max ?? DEFAULT_MAX_STORIES));
  const seen = new Set<number>();
  const ranked = input.candidates.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))).sort(compareImportance);

  const takenPerSection = new Map<number, number>();
  const chosen: EditionCandidate[] = [];
  for (const c of ranked) {
    if (chosen.length >= max) break;
    const taken = takenPerSection.get(c.sectionId) ?? 0;
    if (taken >= perSection) continue;
    takenPerSection.set(c.sectionId, taken + 1);
    chosen.push(c);
  }

  // Stable sort: within a section the importance order above is kept.
  return chosen
    .map((c, rank) => ({ c, rank }))
    .sort((x, y) => x.c.sectionPosition - y.c.sectionPosition || x.c.sectionId - y.c.sectionId || x.rank - y.rank)
    .map(({ c }) => c.id);
}
