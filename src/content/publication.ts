// Publication settings: name, tagline, time zone, public URL. Stored as rows in `settings`
// so the admin can change them without a deploy.
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import { isValidTimeZone } from './dates.ts';
import { loadPageSetting, savePageSetting } from './page-settings.ts';

export interface Publication {
  name: string;
  tagline: string;
  timeZone: string;
  /** Set in the admin; PUBLIC_URL in the environment wins when present. */
  publicUrl: string | null;
  /** Where readers write to the newsroom; null until staff set it. */
  contactEmail: string | null;
}

export const DEFAULT_PUBLICATION: Publication = {
  name: 'Masthead',
  tagline: 'News, independently published',
  timeZone: 'America/New_York',
  publicUrl: null,
  contactEmail: null,
};

const publicationSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(120),
  tagline: z.string().trim().max(200),
  timeZone: z.string().refine(isValidTimeZone, 'is not a known IANA time zone'),
  publicUrl: z.string().url().nullable(),
  contactEmail: z.string().trim().email().max(254).nullable(),
});

export async function getPublication(db: Db): Promise<Publication> {
  return loadPageSetting(db, 'publication', publicationSchema, DEFAULT_PUBLICATION);
}

/** Every page shows the name and dates in the time zone, so a saved publication rebuilds them. */
export function savePublication(
  db: Db,
  input: Partial<Publication>,
  opts: {
    /** Runs inside the save's transaction: records that must commit or roll back with it (the newsroom's audit log). */
    within?: (tx: Tx, saved: Publication) => Promise<void>;
  } = {},
): Promise<Publication> {
  return savePageSetting(db, 'publication', publicationSchema, DEFAULT_PUBLICATION, input, opts);
}
