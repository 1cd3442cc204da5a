// The newsroom's changes to the section tree: create, rename, reorder among siblings, delete
// an empty one. Each is one transaction with its audit row and a content-version bump (the
// site's navigation and section fronts are cached).
import type { Db, Tx } from '../../db/database.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { changeContent, done, refuse, type Outcome } from './content-change.ts';
import type { FieldErrors } from '../form-result.ts';
import { deletionRefusal, moveAmongSiblings, planNewSection, sectionTree, type NewSection, type SectionFact, type TreeEntry } from './sections.ts';

export interface SectionListing extends SectionFact {
  description: string;
  /** Stories filed directly in this section, any status. */
  stories: number;
  /** Of those, published. */
  published: number;
  /** Direct sub-sections. */
  children: number;
}

async function readSections(db: Db | Tx): Promise<SectionListing[]> {
  const [rows, counts] = await Promise.all([
    db.selectFrom('sections').select(['id', 'path', 'name', 'parent_id', 'position', 'description']).execute(),
    db
      .selectFrom('articles')
      .select((eb) => [
        'section_id',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'published').then(1).else(0).end()).as('published'),
      ])
      .groupBy('section_id')
      .execute(),
  ]);
  const bySection = new Map(counts.map((c) => [c.section_id, c]));
  const childCount = new Map<number, number>();
  for (const r of rows) if (r.parent_id !== null) childCount.set(r.parent_id, (childCount.get(r.parent_id) ?? 0) + 1);
  return rows.map((r) => ({
    id: r.id,
    path: r.path,
    name: r.name,
    parentId: r.parent_id,
    position: Number(r.position),
    description: r.description,
    stories: Number(bySection.get(r.id)?.n ?? 0),
    published: Number(bySection.get(r.id)?.published ?? 0),
    children: childCount.get(r.id) ?? 0,
  }));
}

/** Every section in reading order, with its depth and counts. */
export async function listSectionTree(db: Db): Promise<TreeEntry<SectionListing>[]> {
  return sectionTree(await readSections(db));
}

export async function getSection(db: Db, id: number): Promise<SectionListing | null> {
  return (await readSections(db)).find((s) => s.id === id) ?? null;
}

export type SectionRefusal =
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'not-found' }
  | { kind: 'refused'; message: string };

export async function createSection(db: Db, input: { section: NewSection; actor: Actor; now: number }): Promise<Outcome<{ id: number; path: string }, SectionRefusal>> {
  return changeContent<{ id: number; path: string }, SectionRefusal>(db, async (tx) => {
    const sections = await readSections(tx);
    const plan = planNewSection(input.section, sections);
    if (!plan.ok) return refuse({ kind: 'invalid', errors: plan.errors });
    const siblings = sections.filter((s) => s.parentId === plan.parentId);
    const position = siblings.reduce((max, s) => Math.max(max, s.position), -1) + 1;
    const { id } = await tx
      .insertInto('sections')
      .values({ path: plan.path, name: plan.name, parent_id: plan.parentId, position, description: plan.description })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { actor: input.actor, action: 'section', detail: `created /${plan.path} (“${plan.name}”)`, at: input.now });
    return done({ id, path: plan.path });
  });
}

/** New name and description; the path (and so every URL in the section) stays. */
export async function renameSection(db: Db, input: { id: number; name: string; description: string; actor: Actor; now: number }): Promise<Outcome<{ path: string }, SectionRefusal>> {
  return changeContent<{ path: string }, SectionRefusal>(db, async (tx) => {
    const before = await tx.selectFrom('sections').select(['path', 'name', 'description']).where('id', '=', input.id).executeTakeFirst();
    if (!before) return refuse({ kind: 'not-found' });
    await tx.updateTable('sections').set({ name: input.name, description: input.description }).where('id', '=', input.id).execute();
    const changes = [before.name !== input.name ? `renamed “${before.name}” → “${input.name}”` : '', before.description !== input.description ? 'description changed' : ''].filter(Boolean);
    await recordAudit(tx, { actor: input.actor, action: 'section', detail: `/${before.path}: ${changes.join(', ') || 'saved unchanged'}`, at: input.now });
    return done({ path: before.path });
  });
}

/** One place up or down among its siblings; at either end it stays put. */
export async function moveSection(db: Db, input: { id: number; by: -1 | 1; actor: Actor; now: number }): Promise<Outcome<{ path: string; isMoved: boolean }, SectionRefusal>> {
  return changeContent<{ path: string; isMoved: boolean }, SectionRefusal>(db, async (tx) => {
    const sections = await readSections(tx);
    const section = sections.find((s) => s.id === input.id);
    if (!section) return refuse({ kind: 'not-found' });
    const positions = moveAmongSiblings(sections.filter((s) => s.parentId === section.parentId), section.id, input.by);
    if (!positions) return done({ path: section.path, isMoved: false });
    for (const p of positions) await tx.updateTable('sections').set({ position: p.position }).where('id', '=', p.id).execute();
    await recordAudit(tx, { actor: input.actor, action: 'section', detail: `/${section.path}: moved ${input.by < 0 ? 'up' : 'down'}`, at: input.now });
    return done({ path: section.path, isMoved: true });
  });
}

/** Deletes a section that holds no stories and no sub-sections; otherwise says why not. */
export async function deleteSection(db: Db, input: { id: number; actor: Actor; now: number }): Promise<Outcome<{ path: string }, SectionRefusal>> {
  return changeContent<{ path: string }, SectionRefusal>(db, async (tx) => {
    const section = (await readSections(tx)).find((s) => s.id === input.id);
    if (!section) return refuse({ kind: 'not-found' });
    const refusal = deletionRefusal({ stories: section.stories, children: section.children });
    if (refusal) return refuse({ kind: 'refused', message: refusal.message });
    await tx.deleteFrom('sections').where('id', '=', section.id).execute();
    await recordAudit(tx, { actor: input.actor, action: 'section', detail: `deleted /${section.path} (“${section.name}”)`, at: input.now });
    return done({ path: section.path });
  });
}
