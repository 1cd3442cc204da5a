// The edition editor's form, as pure functions. As with the newsletter issue editor, the
// whole editor is one form: every button (up, down, remove, add, search, use the automatic
// selection, save) carries the title, introduction, cover story and cover lines as typed, so
// nothing written is lost to a click. The posted story order is the one the page showed.
import { z } from 'zod';
import { rowId } from '../row-id.ts';
import { applyOp, isOrderOp, parseOp, type IssueOp } from '../newsletters/issue-form.ts';
import { text, texts, type FieldErrors, type FormBody, type FormResult } from '../settings/form.ts';
import { parseCoverLines } from '../../editions/edition-store.ts';

/** The stored JSON array of cover lines (one reader, the store's). */
export { parseCoverLines };

/** The automatic selection's ceiling; an editor may not go past it either (the PDF must stay readable in one sitting). */
export const MAX_EDITION_STORIES = 40;
export const MAX_TITLE = 200;
export const MAX_INTRO = 10_000;
export const MAX_COVER_LINES = 4;
export const MAX_COVER_LINE = 100;

/** The same buttons as the issue editor; "send" means nothing here. */
export type EditionOp = Exclude<IssueOp, { kind: 'send' }>;

export interface EditionFormValues {
  title: string;
  intro: string;
  /** The cover story's id as text; '' lets the edition choose (its first story). */
  coverStory: string;
  /** One cover line per line of text. */
  coverLines: string;
  /** The story picker's search. */
  q: string;
  mode: 'auto' | 'manual';
  /** The stories in the order the page showed them (after the operation, when it parsed). */
  order: number[];
  /** The edition's updated_at when the page was drawn. */
  basis: string;
}

/** The change for updateEdition, plus what the page does next. `storyIds` absent: the stories are left as they are. */
export interface EditionEdit {
  op: EditionOp;
  title: string;
  intro: string;
  coverStoryId: number | null;
  coverLines: string[];
  storyIds?: number[] | null;
  expectUpdatedAt: number;
  q: string;
}

export function editionFormValues(
  edition: { title: string; intro: string; cover_story_id: number | null; cover_lines: string; story_ids: string | null; updated_at: number },
  shown: number[],
): EditionFormValues {
  return {
    title: edition.title,
    intro: edition.intro,
    coverStory: edition.cover_story_id === null ? '' : String(edition.cover_story_id),
    coverLines: parseCoverLines(edition.cover_lines).join('\n'),
    q: '',
    mode: edition.story_ids === null ? 'auto' : 'manual',
    order: shown,
    basis: String(edition.updated_at),
  };
}

const textSchema = z.object({
  title: z.string().trim().max(MAX_TITLE, `The title is longer than ${MAX_TITLE} characters`),
  intro: z.string().max(MAX_INTRO, `The introduction is longer than ${MAX_INTRO.toLocaleString('en-US')} characters`),
  q: z.string().trim().max(100, 'Search for at most 100 characters'),
});

/** What a posted editor form asks for, or one message per field with the text as typed. */
export function parseEditionForm(body: FormBody): FormResult<EditionEdit, EditionFormValues> {
  const errors: FieldErrors = {};
  const posted = texts(body, 'story').slice(0, MAX_EDITION_STORIES * 2);
  const order = posted.map((v) => rowId(v));
  const parsedOp = parseOp(text(body, 'op') || 'save');
  const op: EditionOp | null = parsedOp && parsedOp.kind !== 'send' ? parsedOp : null;
  const cleanOrder = order.filter((id): id is number => id !== null);
  const values: EditionFormValues = {
    title: text(body, 'title').slice(0, MAX_TITLE * 4),
    intro: text(body, 'intro').slice(0, MAX_INTRO * 2),
    coverStory: text(body, 'coverStory').trim().slice(0, 20),
    coverLines: text(body, 'coverLines').slice(0, (MAX_COVER_LINE + 2) * MAX_COVER_LINES * 4),
    q: text(body, 'q').slice(0, 400),
    mode: text(body, 'mode') === 'auto' ? 'auto' : 'manual',
    order: op ? applyOp(cleanOrder, op) : cleanOrder,
    basis: text(body, 'basis'),
  };
  if (!op) errors._form = 'That button does nothing here: reload the page and try again.';
  if (order.some((id) => id === null)) errors.stories = 'The story list was garbled: reload the page and arrange it again.';
  if (new Set(cleanOrder).size !== cleanOrder.length) errors.stories ??= 'A story is in the list twice.';
  if (op?.kind === 'add' && values.order.length > MAX_EDITION_STORIES) {
    errors.stories ??= `An edition holds at most ${MAX_EDITION_STORIES} stories: remove one before adding another.`;
    values.order = cleanOrder;
  } else if (values.order.length > MAX_EDITION_STORIES) errors.stories ??= `An edition holds at most ${MAX_EDITION_STORIES} stories.`;

  const parsed = textSchema.safeParse(values);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;

  const coverLines = values.coverLines.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (coverLines.length > MAX_COVER_LINES) errors.coverLines = `At most ${MAX_COVER_LINES} cover lines, one per line.`;
  else if (coverLines.some((l) => l.length > MAX_COVER_LINE)) errors.coverLines = `Keep each cover line under ${MAX_COVER_LINE} characters.`;

  // Removing the cover story hands the cover back to the edition's first story.
  if (op?.kind === 'remove' && values.coverStory === String(op.id)) values.coverStory = '';
  let coverStoryId: number | null = null;
  if (values.coverStory !== '') {
    coverStoryId = rowId(values.coverStory);
    if (coverStoryId === null) errors.coverStory = 'Choose the cover story from the list.';
    else if (op?.kind !== 'auto' && !values.order.includes(coverStoryId)) errors.coverStory = 'The cover story must be one of the edition’s stories.';
  }

  const basis = /^\d{1,16}$/.test(values.basis) ? Number(values.basis) : NaN;
  if (!Number.isSafeInteger(basis)) errors._form ??= 'This page is out of date: reload the edition and make your change again.';

  if (!op || Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  const storyIds = op.kind === 'auto' ? null : isOrderOp(op) || values.mode === 'manual' ? values.order : undefined;
  if (op.kind === 'auto') values.mode = 'auto';
  else if (isOrderOp(op)) values.mode = 'manual';
  return {
    ok: true,
    values,
    value: {
      op,
      title: parsed.data.title,
      intro: parsed.data.intro,
      coverStoryId,
      coverLines,
      ...(storyIds !== undefined ? { storyIds } : {}),
      expectUpdatedAt: basis,
      q: parsed.data.q,
    },
  };
}
