// A copy of the editor's fields kept in this browser (localStorage) until the server has
// them: so a lost connection, a published story that autosave may not touch, or a closed tab
// never loses what was typed. Pure over a Storage-like object, so it is tested without a DOM.

export type FieldPairs = [name: string, value: string][];

export interface LocalCopy {
  /** When the copy was taken (ms). */
  at: number;
  fields: FieldPairs;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The fields a writer types; a copy is worth offering back only if one of these differs. */
const WRITTEN_FIELDS = ['headline', 'dek', 'body'];

export function copyKey(storyId: string | undefined): string {
  return `masthead:story-copy:${storyId || 'new'}`;
}

export function readCopy(storage: StorageLike, key: string): LocalCopy | null {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<LocalCopy>;
    const isPairs = Array.isArray(value.fields) && value.fields.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
    return typeof value.at === 'number' && isPairs ? { at: value.at, fields: value.fields as FieldPairs } : null;
  } catch {
    return null;
  }
}

/** Stores the copy; false when the browser refuses (storage full or disabled). */
export function writeCopy(storage: StorageLike, key: string, copy: LocalCopy): boolean {
  try {
    storage.setItem(key, JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

export function removeCopy(storage: StorageLike, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing to do: a copy that cannot be removed is offered again and can be discarded then.
  }
}

function normalise(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** Whether two snapshots hold the same writing (headline, dek, body), ignoring line endings and outer spaces. */
export function isSameWriting(a: FieldPairs, b: FieldPairs): boolean {
  const get = (pairs: FieldPairs, name: string) => normalise(pairs.find(([n]) => n === name)?.[1] ?? '');
  return WRITTEN_FIELDS.every((name) => get(a, name) === get(b, name));
}

/** Whether two snapshots are identical field for field. */
export function isSameSnapshot(a: FieldPairs, b: FieldPairs): boolean {
  return a.length === b.length && a.every(([n, v], i) => b[i][0] === n && b[i][1] === v);
}
