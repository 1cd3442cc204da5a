// Autosave for the story editor: a few seconds after a change (at most one save in flight,
// about one every five seconds while typing) and when the tab is hidden, the form's fields
// go to the form's data-autosave-url. Until the server has them, a copy stays in this
// browser, offered back on the next visit if it differs from what the server holds. A new
// story takes the id of its first autosave. Never while the form is being submitted.
// Each answer names the story's new version, which goes into the form's base_updated_at so
// the writer's own autosaves never conflict with their next save; when someone else saved
// the story since the page was opened, the server answers 409 'stale' and autosave stops,
// keeping the browser's copy.
import { readAutosaveAnswer, type AutosaveAnswer, type SavedAnswer } from './autosave-answer.ts';
import { retryDelay } from './backoff.ts';
import { announceChange, autosaveData, restoreFields, snapshotFields } from './form-fields.ts';
import { copyKey, isSameSnapshot, isSameWriting, readCopy, removeCopy, writeCopy, type FieldPairs, type LocalCopy, type StorageLike } from './local-copy.ts';

const SAVE_AFTER_MS = 5_000;
const COPY_AFTER_MS = 400;

export function enhanceAutosave(form: HTMLFormElement): void {
  const status = form.querySelector<HTMLElement>('[data-autosave-status]') ?? document.querySelector<HTMLElement>('[data-autosave-status]');
  const storage = browserStorage();
  let isDirty = false;
  let isSubmitting = false;
  let isLive = false;
  /** Someone else saved the story since this page was opened: autosaving would only be refused. */
  let isStale = form.dataset.storyStale !== undefined;
  let failures = 0;
  let timer: number | undefined;
  let copyTimer: number | undefined;
  let inFlight: Promise<void> | null = null;

  const key = () => copyKey(form.dataset.storyId);
  const show = (state: string, text: string) => {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  };
  const keepCopy = () => {
    window.clearTimeout(copyTimer);
    copyTimer = undefined;
    if (storage) writeCopy(storage, key(), { at: Date.now(), fields: snapshotFields(form) });
  };
  const clearTimer = () => {
    window.clearTimeout(timer);
    timer = undefined;
  };
  const schedule = (delay: number) => {
    if (timer !== undefined || isLive || isStale || isSubmitting) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      void save();
    }, delay);
  };

  const markDirty = () => {
    isDirty = true;
    if (copyTimer === undefined) copyTimer = window.setTimeout(keepCopy, COPY_AFTER_MS);
    if (!inFlight) schedule(SAVE_AFTER_MS);
  };

  async function save(): Promise<void> {
    const url = form.dataset.autosaveUrl;
    if (isSubmitting || inFlight || !isDirty || isLive || isStale || !url) return;
    clearTimer();
    const sent = snapshotFields(form);
    const data = autosaveData(form);
    isDirty = false;
    show('saving', 'Saving…');
    inFlight = send(url, data, sent).finally(() => {
      inFlight = null;
      // Changes made while the save was under way go in the next one.
      if (isDirty && failures === 0) schedule(SAVE_AFTER_MS);
    });
    return inFlight;
  }

  async function send(url: string, data: FormData, sent: FieldPairs): Promise<void> {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', body: data, headers: { accept: 'application/json' }, credentials: 'same-origin' });
    } catch {
      return retryLater('Not saved: the newsroom cannot be reached.');
    }
    let answer: AutosaveAnswer | null = null;
    try {
      answer = (await res.json()) as AutosaveAnswer;
    } catch {
      answer = null;
    }
    const verdict = readAutosaveAnswer(res.status, answer);
    if (verdict.kind === 'saved') {
      failures = 0;
      adopt(verdict.answer);
      // The next save (this one's follow-up, or the buttons) is based on what was just saved.
      if (verdict.base) setBase(verdict.base);
      markFieldErrors({});
      // Drop the browser's copy only when the server holds exactly what is in the form.
      if (!isDirty && isSameSnapshot(sent, snapshotFields(form))) {
        window.clearTimeout(copyTimer);
        copyTimer = undefined;
        if (storage) removeCopy(storage, key());
      } else keepCopy();
      show('saved', `Saved at ${clock(verdict.answer.savedAt)}`);
      return;
    }
    keepCopy();
    switch (verdict.kind) {
      case 'stale':
        // Every further autosave would be refused too; the copy stays for after the reload.
        isStale = true;
        clearTimer();
        show('stale', verdict.message);
        return;
      case 'live':
        isLive = true;
        clearTimer();
        show('live', verdict.message);
        return;
      case 'invalid':
        markFieldErrors(verdict.errors);
        show('invalid', verdict.message);
        return;
      case 'refused':
        show('refused', verdict.message);
        return;
      case 'retry':
        return retryLater(verdict.why);
    }
  }

  function retryLater(why: string): void {
    isDirty = true;
    keepCopy();
    const delay = retryDelay(failures, Math.random());
    failures += 1;
    show('offline', `${why} Trying again in ${Math.round(delay / 1000)} s; your text is kept in this browser.`);
    clearTimer();
    timer = window.setTimeout(() => {
      timer = undefined;
      void save();
    }, delay);
  }

  /** A new story's first autosave names it: the form, the address bar and the copy follow. */
  function adopt(answer: SavedAnswer): void {
    const id = String(answer.id);
    if (form.dataset.storyId === id) return;
    const oldKey = key();
    // The story is saved with POST /admin/stories/:id and edited at …/edit, whichever of the two the answer names.
    const action = (answer.editUrl ?? `/admin/stories/${encodeURIComponent(id)}`).replace(/\/edit$/, '');
    form.dataset.storyId = id;
    form.action = action;
    if (answer.autosaveUrl) form.dataset.autosaveUrl = answer.autosaveUrl;
    history.replaceState(history.state, '', `${action}/edit`);
    if (storage && oldKey !== key()) removeCopy(storage, oldKey);
  }

  function setBase(base: string): void {
    const field = form.elements.namedItem('base_updated_at');
    if (field instanceof HTMLInputElement) field.value = base;
  }

  function markFieldErrors(errors: Record<string, string>): void {
    for (const el of Array.from(form.querySelectorAll<HTMLElement>('[data-autosave-invalid]'))) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('data-autosave-invalid');
    }
    for (const name of Object.keys(errors)) {
      const el = form.elements.namedItem(name);
      if (el instanceof HTMLElement && !el.hasAttribute('aria-invalid')) {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('data-autosave-invalid', '');
      }
    }
  }

  form.addEventListener('input', (event) => {
    if (isFileInput(event.target)) return;
    markDirty();
  });
  form.addEventListener('change', (event) => {
    if (isFileInput(event.target)) return;
    markDirty();
  });

  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;
    if (inFlight) {
      // Let a running autosave finish first: a new story's form then posts to the story it created.
      event.preventDefault();
      const submitter = (event as SubmitEvent).submitter;
      void inFlight.then(() => form.requestSubmit(submitter ?? undefined));
      return;
    }
    isSubmitting = true;
    clearTimer();
    keepCopy();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) isSubmitting = false;
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden' || !isDirty) return;
    keepCopy();
    if (!isLive && !isStale && !isSubmitting) {
      clearTimer();
      void save();
    }
  });
  window.addEventListener('pagehide', () => {
    if (isDirty) keepCopy();
  });
  window.addEventListener('online', () => {
    if (failures > 0 && timer !== undefined) {
      clearTimer();
      void save();
    }
  });

  // A page sent back because someone else saved first holds the writer's text, not the
  // story's: keep it in the browser, so it is offered back once the story is reloaded.
  if (storage && isStale) keepCopy();
  else if (storage) offerCopy(form, storage, key());
}

/** On load: a copy that differs from what the server holds is offered back; one that matches is dropped. */
function offerCopy(form: HTMLFormElement, storage: StorageLike, key: string): void {
  const current = snapshotFields(form);
  const newKey = copyKey(undefined);
  // A new story's copy that was saved and became this story is done with.
  if (key !== newKey) {
    const fromNew = readCopy(storage, newKey);
    if (fromNew && isSameWriting(fromNew.fields, current)) removeCopy(storage, newKey);
  }
  const copy = readCopy(storage, key);
  if (!copy) return;
  if (isSameWriting(copy.fields, current)) {
    removeCopy(storage, key);
    return;
  }
  showRestoreOffer(form, copy, {
    restore() {
      restoreFields(form, copy.fields);
      const body = form.querySelector<HTMLTextAreaElement>('[data-body-editor]') ?? form.querySelector<HTMLTextAreaElement>('textarea[name="body"]');
      announceChange(body ?? form);
      body?.focus();
    },
    discard() {
      removeCopy(storage, key);
      form.querySelector<HTMLElement>('input[name="headline"], textarea[name="body"]')?.focus();
    },
  });
}

function showRestoreOffer(form: HTMLFormElement, copy: LocalCopy, actions: { restore(): void; discard(): void }): void {
  const box = document.createElement('div');
  box.className = 'notice notice-warn restore-copy';
  box.setAttribute('role', 'status');
  box.dataset.restoreCopy = '';
  const text = document.createElement('p');
  const when = new Date(copy.at);
  text.textContent = `This browser kept a copy of this story from ${when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })} that differs from the saved one.`;
  const buttons = document.createElement('p');
  buttons.className = 'actions';
  const restore = button('Restore the browser’s copy', 'btn btn-small', 'restoreCopyApply');
  const discard = button('Discard it', 'btn btn-quiet btn-small', 'restoreCopyDiscard');
  buttons.append(restore, ' ', discard);
  box.append(text, buttons);
  restore.addEventListener('click', () => {
    box.remove();
    actions.restore();
  });
  discard.addEventListener('click', () => {
    box.remove();
    actions.discard();
  });
  form.before(box);
}

function button(label: string, className: string, hook: string): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = className;
  el.textContent = label;
  el.dataset[hook] = '';
  return el;
}

function isFileInput(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && target.type === 'file';
}

function clock(savedAt: number | string | undefined): string {
  const at = savedAt === undefined ? new Date() : new Date(savedAt);
  const shown = Number.isNaN(at.getTime()) ? new Date() : at;
  return shown.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function browserStorage(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: autosave still works, only the browser copy is missing
  }
}
