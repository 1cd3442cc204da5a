// Reading and restoring the editor form's fields, for autosave and the browser's copy.
import type { FieldPairs } from './local-copy.ts';

/**
 * Fields that are not the writing: the CSRF token, and the version of the story the page
 * holds (a copy restored later must not take an old version back with it).
 */
const NOT_WRITING = new Set(['_csrf', 'base_updated_at']);

/** The form's text fields as name/value pairs, in order (no files, no CSRF token, no version). */
export function snapshotFields(form: HTMLFormElement): FieldPairs {
  const pairs: FieldPairs = [];
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && !NOT_WRITING.has(name)) pairs.push([name, value]);
  }
  return pairs;
}

/** What autosave sends: every field the form would submit (the CSRF token included) except files. */
export function autosaveData(form: HTMLFormElement): FormData {
  const data = new FormData(form);
  for (const [name, value] of [...data]) if (typeof value !== 'string') data.delete(name);
  return data;
}

/** Puts a snapshot back into the form; files, the CSRF token and the version are left as they are. */
export function restoreFields(form: HTMLFormElement, pairs: FieldPairs): void {
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) byName.set(name, [...(byName.get(name) ?? []), value]);
  const used = new Map<string, number>();
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) continue;
    const name = el.name;
    if (!name || NOT_WRITING.has(name) || el.disabled) continue;
    const values = byName.get(name);
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      el.checked = (values ?? []).includes(el.value);
    } else if (el instanceof HTMLSelectElement) {
      if (values) for (const option of Array.from(el.options)) option.selected = values.includes(option.value);
    } else if (values && !(el instanceof HTMLInputElement && (el.type === 'file' || el.type === 'submit' || el.type === 'button'))) {
      // Several fields of one name take the values in order.
      const n = used.get(name) ?? 0;
      used.set(name, n + 1);
      if (n < values.length) el.value = values[n];
    }
  }
}

/** Tells every enhancement (preview, counts, autosave) that a field changed from a script. */
export function announceChange(el: Element): void {
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
