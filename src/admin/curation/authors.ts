// An author's page as the newsroom edits it: name, title ("Staff writer"), bio, the slug of
// their page (/author/{slug}) and a photo. Parsing and the rules are pure; whether a slug is
// already taken is asked of the database by the caller and passed in.
import { z } from 'zod';
import { SLUG_PATTERN, slugify } from '../../content/slug.ts';
import { fieldErrors, type FieldErrors } from '../form-result.ts';
import { MAX_UPLOAD_BYTES } from '../uploads.ts';

/** An author's photo is a picture like any other: the newsroom's one upload limit. */
export const MAX_PHOTO_BYTES = MAX_UPLOAD_BYTES;

export const authorFormSchema = z.object({
  name: z.string().trim().min(1, 'Give the author a name.').max(120, 'Keep the name under 120 characters.'),
  title: z.string().trim().max(120, 'Keep the title under 120 characters.').default(''),
  bio: z.string().trim().max(3000, 'Keep the bio under 3,000 characters.').default(''),
  slug: z.string().trim().max(90, 'Keep the slug under 90 characters.').default(''),
  removePhoto: z.boolean().default(false),
});

export type AuthorForm = z.input<typeof authorFormSchema>;

export interface AuthorFields {
  name: string;
  title: string;
  bio: string;
  slug: string;
  removePhoto: boolean;
}

/**
 * The author as the form describes them, or what is wrong. A blank slug is made from the
 * name, in lower case as bylines make it ("jane-doe").
 */
export function parseAuthorForm(input: AuthorForm): { ok: true; value: AuthorFields } | { ok: false; errors: FieldErrors } {
  const parsed = authorFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const value = parsed.data;
  const slug = value.slug || slugify(value.name, { lowercase: true });
  if (!slug) return { ok: false, errors: { slug: 'The name has no letters (A–Z) or digits to make a slug from; fill in the slug.' } };
  if (!SLUG_PATTERN.test(slug)) return { ok: false, errors: { slug: 'Use letters, digits and single dashes, e.g. jane-doe.' } };
  return { ok: true, value: { ...value, slug } };
}

/** The message when another author already has this slug. */
export function slugTakenError(slug: string, holder: string): FieldErrors {
  return { slug: `${holder} already uses /author/${slug}; choose another slug.` };
}

/** What an upload field held, before the picture itself is read. */
export function photoProblem(file: { size: number } | null): string | null {
  if (!file || file.size === 0) return null;
  if (file.size > MAX_PHOTO_BYTES) return `The photo is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`;
  return null;
}
