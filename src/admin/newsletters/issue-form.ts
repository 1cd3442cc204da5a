// The issue editor's form, as pure functions. The whole editor is one form, so every button
// in it (move up, move down, remove, add, search, use the automatic selection, save, send
// now) carries the subject and introduction as typed: nothing written is lost to a click.
// Each button names its operation (`op`); the posted story order is the one the page showed.
import { z } from 'zod';
import { formatLocalDateTime, parseLocalDateTime, skippedTimeMessage } from '../stories/story-form.ts';
import { rowId } from '../row-id.ts';
import { text, texts, type FieldErrors, type FormBody, type FormResult } from '../settings/form.ts';

/** Longer issues are clipped by mail clients (Gmail past ~100 KB) and read by no one. */
export const MAX_ISSUE_STORIES = 15;
export const MAX_SUBJECT = 200;
export const MAX_INTRO = 10_000;

export type IssueOp =
  | { kind: 'save' }
  /** Save, then queue the issue for sending now. */
  | { kind: 'send' }
  /** Back to the automatic selection (story_ids null). */
  | { kind: 'auto' }
  /** Save, then show the story picker's matches for `q`. */
  | { kind: 'search' }
  | { kind: 'up' | 'down' | 'remove' | 'add'; id: number };

/** The `op` of the pressed button: "save", "send", "auto", "search", "up:12", "add:7"… null for anything else. */
export function parseOp(raw: string): IssueOp | null {
  if (raw === 'save' || raw === 'send' || raw === 'auto' || raw === 'search') return { kind: raw };
  const m = /^(up|down|remove|add):(\d{1,10})$/.exec(raw);
  const id = m ? rowId(m[2]) : null;
  return m && id !== null ? { kind: m[1] as 'up' | 'down' | 'remove' | 'add', id } : null;
}

export function isOrderOp(op: IssueOp): op is Extract<IssueOp, { id: number }> {
  return 'id' in op;
}

/** The order after a move, removal or addition (an addition goes last; a story already in it stays where it is). */
export function applyOp(order: readonly number[], op: IssueOp): number[] {
  const out = [...order];
  if (!isOrderOp(op)) return out;
  const at = out.indexOf(op.id);
  switch (op.kind) {
    case 'add':
      if (at < 0) out.push(op.id);
      return out;
    case 'remove':
      if (at >= 0) out.splice(at, 1);
      return out;
    case 'up':
    case 'down': {
      const to = at + (op.kind === 'up' ? -1 : 1);
      if (at < 0 || to < 0 || to >= out.length) return out;
      [out[at], out[to]] = [out[to], out[at]];
      return out;
    }
  }
}

export interface IssueFormValues {
  subject: string;
  intro: string;
  /** datetime-local text, '' for none. */
  sendAt: string;
  /** The story picker's search. */
  q: string;
  /** 'auto' while the issue follows the automatic selection. */
  mode: 'auto' | 'manual';
  /** The stories in the order the page showed them (after the operation, when it parsed). */
  order: number[];
  /** The issue's updated_at when the page was drawn. */
  basis: string;
}

/** The change for updateDraft; `storyIds` absent when the stories are left as they are. */
export interface IssueEdit {
  op: IssueOp;
  subject: string;
  intro: string;
  storyIds?: number[] | null;
  sendAt: number | null;
  expectUpdatedAt: number;
  q: string;
}

export function issueFormValues(issue: { subject: string; intro: string; send_at: number | null; story_ids: string | null; updated_at: number }, shown: number[], timeZone: string): IssueFormValues {
  return {
    subject: issue.subject,
    intro: issue.intro,
    sendAt: issue.send_at === null ? '' : formatLocalDateTime(Number(issue.send_at), timeZone),
    q: '',
    mode: issue.story_ids === null ? 'auto' : 'manual',
    order: shown,
    basis: String(issue.updated_at),
  };
}

const textSchema = z.object({
  subject: z.string().trim().max(MAX_SUBJECT, `The subject is longer than ${MAX_SUBJECT} characters`),
  intro: z.string().max(MAX_INTRO, `The introduction is longer than ${MAX_INTRO.toLocaleString('en-US')} characters`),
  q: z.string().trim().max(100, 'Search for at most 100 characters'),
});

/**
 * What a posted editor form asks for. `currentSendAt` is the stored send time: posted back
 * unchanged it is kept even when it has passed (the jobs are about to queue the issue); a new
 * time must be in the future.
 */
export function parseIssueForm(body: FormBody, ctx: { timeZone: string; now: number; currentSendAt: number | null }): FormResult<IssueEdit, IssueFormValues> {
  const errors: FieldErrors = {};
  const posted = texts(body, 'story').slice(0, MAX_ISSUE_STORIES * 4);
  const order = posted.map((v) => rowId(v));
  const op = parseOp(text(body, 'op') || 'save');
  const mode = text(body, 'mode') === 'auto' ? 'auto' : 'manual';
  const cleanOrder = order.filter((id): id is number => id !== null);
  const values: IssueFormValues = {
    subject: text(body, 'subject').slice(0, MAX_SUBJECT * 4),
    intro: text(body, 'intro').slice(0, MAX_INTRO * 2),
    sendAt: text(body, 'sendAt').trim().slice(0, 40),
    q: text(body, 'q').slice(0, 400),
    mode,
    order: op ? applyOp(cleanOrder, op) : cleanOrder,
    basis: text(body, 'basis'),
  };
  if (!op) errors._form = 'That button does nothing here: reload the page and try again.';
  if (order.some((id) => id === null)) errors.stories = 'The story list was garbled: reload the page and arrange it again.';
  if (new Set(cleanOrder).size !== cleanOrder.length) errors.stories ??= 'A story is in the list twice.';
  if (op?.kind === 'add' && values.order.length > MAX_ISSUE_STORIES) {
    errors.stories ??= `An issue holds at most ${MAX_ISSUE_STORIES} stories: remove one before adding another.`;
    values.order = cleanOrder;
  } else if (values.order.length > MAX_ISSUE_STORIES) errors.stories ??= `An issue holds at most ${MAX_ISSUE_STORIES} stories.`;

  const parsed = textSchema.safeParse(values);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;

  let sendAt: number | null = null;
  const unchanged = ctx.currentSendAt !== null && values.sendAt === formatLocalDateTime(ctx.currentSendAt, ctx.timeZone);
  if (unchanged) sendAt = ctx.currentSendAt;
  else if (values.sendAt !== '') {
    const at = parseLocalDateTime(values.sendAt, ctx.timeZone);
    if (!at.ok) errors.sendAt = at.reason === 'skipped' ? skippedTimeMessage(at.local, at.gapStart, ctx.timeZone) : 'Give a date and time such as 2026-12-01 06:00.';
    else if (at.at <= ctx.now) errors.sendAt = 'That time has passed: choose a later one, or send the issue now.';
    else sendAt = at.at;
  }

  const basis = /^\d{1,16}$/.test(values.basis) ? Number(values.basis) : NaN;
  if (!Number.isSafeInteger(basis)) errors._form ??= 'This page is out of date: reload the issue and make your change again.';

  if (!op || Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  const storyIds = op.kind === 'auto' ? null : isOrderOp(op) || mode === 'manual' ? values.order : undefined;
  if (op.kind === 'auto') values.mode = 'auto';
  else if (isOrderOp(op)) values.mode = 'manual';
  return {
    ok: true,
    values,
    value: { op, subject: parsed.data.subject, intro: parsed.data.intro, ...(storyIds !== undefined ? { storyIds } : {}), sendAt, expectUpdatedAt: basis, q: parsed.data.q },
  };
}
