// The section tree as the newsroom edits it: display order, new sections' paths, moves among
// siblings and whether a section may go. A section's path is part of every published URL in
// it (/World/Europe/2026/1120/…), so it is fixed when the section is made: renaming changes
// the name readers see, never the address, and a section never changes its parent.
import { z } from 'zod';
import { isValidSectionPath, RESERVED_SECTION_ROOTS, SLUG_PATTERN, slugify } from '../../content/slug.ts';
import type { FieldErrors } from '../form-result.ts';
import { rowId } from '../row-id.ts';

export const MAX_SECTION_DEPTH = 4;

export interface SectionFact {
  id: number;
  path: string;
  name: string;
  parentId: number | null;
  position: number;
}

export interface TreeEntry<S extends SectionFact> {
  section: S;
  depth: number;
}

/**
 * Sections in reading order: each parent followed by its children, siblings by position then
 * name. A section whose parent is missing, or whose parents loop, is shown at the top level
 * rather than lost.
 */
export function sectionTree<S extends SectionFact>(sections: readonly S[]): TreeEntry<S>[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const isRooted = (s: S): boolean => {
    const seen = new Set<number>([s.id]);
    let parentId = s.parentId;
    while (parentId !== null) {
      if (seen.has(parentId)) return false; // a cycle
      const parent = byId.get(parentId);
      if (!parent) return false;
      seen.add(parentId);
      parentId = parent.parentId;
    }
    return true;
  };
  const children = new Map<number | null, S[]>();
  for (const s of sections) {
    const key = s.parentId !== null && isRooted(s) ? s.parentId : null;
    const list = children.get(key) ?? [];
    list.push(s);
    children.set(key, list);
  }
  const bySiblingOrder = (a: S, b: S) => a.position - b.position || a.name.localeCompare(b.name) || a.id - b.id;
  const out: TreeEntry<S>[] = [];
  const visit = (parentId: number | null, depth: number) => {
    for (const s of [...(children.get(parentId) ?? [])].sort(bySiblingOrder)) {
      out.push({ section: s, depth });
      visit(s.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

const name = z.string().trim().min(1, 'Give the section a name.').max(80, 'Keep the name under 80 characters.');
const description = z.string().trim().max(400, 'Keep the description under 400 characters.');

export const newSectionSchema = z.object({
  name,
  description: description.default(''),
  parentId: z
    .string()
    .trim()
    .default('')
    .transform((v, ctx) => {
      if (v === '') return null;
      const id = rowId(v);
      if (id === null) ctx.addIssue({ code: 'custom', message: 'Choose a parent from the list.' });
      return id;
    }),
  /** The last part of the address; from the name when left empty. */
  slug: z.string().trim().max(60, 'Keep the address part under 60 characters.').default(''),
});

export const sectionEditSchema = z.object({ name, description: description.default('') });

export type NewSectionForm = z.input<typeof newSectionSchema>;
export type NewSection = z.output<typeof newSectionSchema>;

/**
 * The path a new section gets, or the reasons it cannot be made: the parent exists, the path
 * is a valid, unreserved address at most four levels deep, and no section already has it.
 */
export function planNewSection(
  input: NewSection,
  sections: readonly SectionFact[],
): { ok: true; path: string; parentId: number | null; name: string; description: string } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parent = input.parentId === null ? null : sections.find((s) => s.id === input.parentId) ?? null;
  if (input.parentId !== null && !parent) errors.parentId = 'That parent section no longer exists.';

  const slug = input.slug || slugify(input.name);
  const slugField = input.slug ? 'slug' : 'name';
  if (!slug) errors[slugField] = 'The address needs letters (A–Z) or digits; fill in the address part.';
  else if (!SLUG_PATTERN.test(slug)) errors.slug = 'Use letters, digits and single dashes, e.g. Foreign-Policy.';

  if (!errors.parentId && slug && !errors.slug) {
    const path = parent ? `${parent.path}/${slug}` : slug;
    if (!parent && RESERVED_SECTION_ROOTS.has(slug.toLowerCase())) {
      errors[slugField] = `/${slug} is used by the site itself; choose another name or address.`;
    } else if (path.split('/').length > MAX_SECTION_DEPTH) {
      errors.parentId = `Sections go at most ${MAX_SECTION_DEPTH} levels deep.`;
    } else if (!isValidSectionPath(path)) {
      errors[slugField] = `/${path} is not a valid section address.`;
    } else if (sections.some((s) => s.path.toLowerCase() === path.toLowerCase())) {
      errors[slugField] = `There is already a section at /${path}.`;
    } else if (Object.keys(errors).length === 0) {
      return { ok: true, path, parentId: parent?.id ?? null, name: input.name, description: input.description };
    }
  }
  return { ok: false, errors };
}

/**
 * New positions for a section's siblings after moving `id` one place up (-1) or down (+1):
 * every sibling numbered 0…n-1 in the new order (old data may hold ties). null when the
 * section is already first or last.
 */
export function moveAmongSiblings(siblings: readonly SectionFact[], id: number, by: -1 | 1): { id: number; position: number }[] | null {
  const ordered = sectionTree(siblings.map((s) => ({ ...s, parentId: null }))).map((e) => e.section);
  const index = ordered.findIndex((s) => s.id === id);
  const to = index + by;
  if (index < 0 || to < 0 || to >= ordered.length) return null;
  [ordered[index], ordered[to]] = [ordered[to], ordered[index]];
  return ordered.map((s, position) => ({ id: s.id, position }));
}

export type DeleteRefusal = 'has-stories' | 'has-sections';

/** A section may be deleted only when nothing lives in it: no stories (of any status) and no sub-sections. */
export function deletionRefusal(counts: { stories: number; children: number }): { reason: DeleteRefusal; message: string } | null {
  if (counts.stories > 0) {
    const n = counts.stories === 1 ? 'one story' : `${counts.stories} stories`;
    return { reason: 'has-stories', message: `This section holds ${n} (drafts included). Move them to another section first.` };
  }
  if (counts.children > 0) {
    const n = counts.children === 1 ? 'a sub-section' : `${counts.children} sub-sections`;
    return { reason: 'has-sections', message: `This section has ${n}. Delete or empty them first.` };
  }
  return null;
}
