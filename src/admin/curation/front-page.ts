// The front page an editor arranges: a lead story and up to eight top stories in order. Pure
// decisions only — what the form asked for, whether it may be saved, and the orders that the
// page's small "move up / move down / remove" forms send — so they are tested without a server.
import { z } from 'zod';
import type { ArticleStatus } from '../../db/schema.ts';
import type { FieldErrors } from '../form-result.ts';
import { rowId } from '../row-id.ts';

export const MAX_TOP_STORIES = 8;

/** A saved arrangement: the lead (null → the newest story leads) and the top stories in order. */
export interface FrontOrder {
  lead: number | null;
  top: number[];
}

/** The arrangement as the form sent it: ids as typed, '' where a slot was left empty. */
export interface FrontDraft {
  lead: string;
  top: string[];
}

/** What the save needs to know about each story named in the form. */
export interface StoryFact {
  id: number;
  headline: string;
  status: ArticleStatus;
}

const idText = z.string({ error: 'Choose a story from the list.' }).trim().max(20, 'Choose a story from the list.');

export const frontFormSchema = z.object({
  lead: idText.default(''),
  top: z.array(idText).max(40, 'Too many stories were sent.').default([]),
  /** A story to place, with `place` saying where (the "add a story" form). */
  pick: idText.default(''),
  place: z.enum(['lead', 'top']).optional(),
  /** The arrangement the page showed (signatureOf), to notice another editor's change meanwhile. */
  basis: z.string().max(400).optional(),
});

export type FrontForm = z.output<typeof frontFormSchema>;

export type FrontCheck = { ok: true; order: FrontOrder } | { ok: false; errors: FieldErrors };

/**
 * The arrangement the form asks for. Placing a story as the lead takes it out of the top
 * stories, and the lead it replaces becomes the first top story when there is room.
 */
export function draftFromForm(form: FrontForm): { draft: FrontDraft; errors: FieldErrors } {
  const draft: FrontDraft = { lead: form.lead, top: [...form.top] };
  if (!form.place) return { draft, errors: {} };
  const pick = form.pick;
  if (!pick) return { draft, errors: { pick: 'Choose a story to place.' } };
  if (form.place === 'top') return { draft: { lead: draft.lead, top: [...draft.top, pick] }, errors: {} };
  const top = draft.top.filter((id) => id !== pick);
  const filled = top.filter((id) => id !== '').length;
  if (draft.lead && draft.lead !== pick && filled < MAX_TOP_STORIES) top.unshift(draft.lead);
  return { draft: { lead: pick, top }, errors: {} };
}

/** The numeric ids a draft names, to look their stories up. */
export function idsIn(draft: FrontDraft): number[] {
  const ids = [draft.lead, ...draft.top].map(rowId).filter((id) => id !== null);
  return [...new Set(ids)];
}

/**
 * May this arrangement be saved? Every story must exist and be published, none may appear
 * twice (the lead counts), and there are at most eight top stories. Messages are keyed
 * "lead", "top" (the list) and "top.N" (the N-th field sent, blanks included, so the message
 * sits next to the select that caused it).
 */
export function checkFrontOrder(draft: FrontDraft, facts: ReadonlyMap<number, StoryFact>): FrontCheck {
  const errors: FieldErrors = {};
  const problemWith = (value: string): string | null => {
    const id = rowId(value);
    if (id === null) return 'Choose a story from the list.';
    const fact = facts.get(id);
    if (!fact) return `There is no story with the id ${value}.`;
    if (fact.status !== 'published') {
      const what = fact.status === 'scheduled' ? 'scheduled, not yet published' : 'a draft';
      return `“${fact.headline}” is ${what}: only published stories can go on the front page.`;
    }
    return null;
  };

  let lead: number | null = null;
  if (draft.lead !== '') {
    const problem = problemWith(draft.lead);
    if (problem) errors.lead = problem;
    else lead = rowId(draft.lead);
  }

  const top: number[] = [];
  const seenAt = new Map<number, number>();
  draft.top.forEach((value, index) => {
    if (value === '') return;
    const key = `top.${index}`;
    const problem = problemWith(value);
    if (problem) {
      errors[key] = problem;
      return;
    }
    const id = rowId(value)!; // problemWith found none: the value is an id
    if (lead === id) {
      errors[key] = 'This story is already the lead.';
      return;
    }
    const earlier = seenAt.get(id);
    if (earlier !== undefined) {
      errors[key] = `This story is already number ${earlier} in the list.`;
      return;
    }
    top.push(id);
    seenAt.set(id, top.length);
  });

  const count = draft.top.filter((v) => v !== '').length;
  if (count > MAX_TOP_STORIES) errors.top = `The front page holds at most ${MAX_TOP_STORIES} top stories besides the lead; remove ${count - MAX_TOP_STORIES}.`;

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, order: { lead, top } };
}

/** The top story at `index` moved one place up (-1) or down (+1); null at either end. */
export function moveTop(order: FrontOrder, index: number, by: -1 | 1): FrontOrder | null {
  const to = index + by;
  if (index < 0 || index >= order.top.length || to < 0 || to >= order.top.length) return null;
  const top = [...order.top];
  [top[index], top[to]] = [top[to], top[index]];
  return { lead: order.lead, top };
}

export function removeTop(order: FrontOrder, index: number): FrontOrder {
  return { lead: order.lead, top: order.top.filter((_, i) => i !== index) };
}

export function removeLead(order: FrontOrder): FrontOrder {
  return { lead: null, top: [...order.top] };
}

/** A saved arrangement without the stories unpublished since they were placed: what a save keeps. */
export function liveOrder(front: { lead: { id: number; status: ArticleStatus } | null; top: { id: number; status: ArticleStatus }[] }): FrontOrder {
  return {
    lead: front.lead && front.lead.status === 'published' ? front.lead.id : null,
    top: front.top.filter((s) => s.status === 'published').map((s) => s.id),
  };
}

/** A short fingerprint of an arrangement: equal for equal arrangements. */
export function signatureOf(order: FrontOrder): string {
  return `${order.lead ?? ''}|${order.top.join(',')}`;
}

export function draftOf(order: FrontOrder): FrontDraft {
  return { lead: order.lead === null ? '' : String(order.lead), top: order.top.map(String) };
}
