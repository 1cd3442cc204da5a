// What the newsroom's answer to an autosave means for the editor: saved (with the story's
// new version, which the form's base_updated_at takes so the writer's own next save is no
// conflict), or why not, and whether trying again could help. Pure, so it is tested without
// a browser.

export type AutosaveAnswer =
  | { ok: true; id: number | string; savedAt?: number | string; editUrl?: string; autosaveUrl?: string; wordCount?: number; updatedAt?: number }
  | { ok: false; errors?: Record<string, string>; reason?: string; message?: string };

export type SavedAnswer = Extract<AutosaveAnswer, { ok: true }>;

export type AutosaveVerdict =
  /** `base`: the version to put in the form ('' when the answer names none). */
  | { kind: 'saved'; answer: SavedAnswer; base: string }
  /** Someone else saved the story since the page was opened: stop, keep the browser's copy. */
  | { kind: 'stale'; message: string }
  /** The story is out: autosave never touches it. */
  | { kind: 'live'; message: string }
  | { kind: 'invalid'; errors: Record<string, string>; message: string }
  | { kind: 'refused'; message: string }
  /** Not reached, or a server error: worth trying again later. */
  | { kind: 'retry'; why: string };

export const LIVE_STORY_MESSAGE = 'Published story: changes are kept in this browser until you save';
export const STALE_STORY_MESSAGE = 'Not saved: someone else saved this story since you opened it. Your text is kept in this browser; copy what you need, then reload.';

/** `answer` is the parsed JSON body, or null when there was none. */
export function readAutosaveAnswer(status: number, answer: AutosaveAnswer | null): AutosaveVerdict {
  if (status >= 200 && status < 300 && answer?.ok) {
    const base = typeof answer.updatedAt === 'number' && Number.isSafeInteger(answer.updatedAt) && answer.updatedAt >= 0 ? String(answer.updatedAt) : '';
    return { kind: 'saved', answer, base };
  }
  const refusal = answer && !answer.ok ? answer : null;
  if (status === 409 && refusal?.reason === 'stale') return { kind: 'stale', message: refusal.message || STALE_STORY_MESSAGE };
  if (status === 409) return { kind: 'live', message: LIVE_STORY_MESSAGE };
  if (status === 422 && refusal) {
    const errors = refusal.errors ?? {};
    const messages = Object.values(errors).filter(Boolean);
    return { kind: 'invalid', errors, message: `Not saved: ${messages.length ? messages.join(' ') : 'some fields need attention.'} Your text is kept in this browser.` };
  }
  if (status === 401 || status === 403) {
    const why = refusal?.message ? refusal.message : 'the newsroom refused the save (you may have been signed out).';
    return { kind: 'refused', message: `Not saved: ${why} Your text is kept in this browser; sign in again in another tab if needed, then save.` };
  }
  if (status === 404) return { kind: 'refused', message: 'Not saved: this story no longer exists. Your text is kept in this browser.' };
  return { kind: 'retry', why: `Not saved (error ${status}).` };
}
