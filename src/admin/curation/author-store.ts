// Authors as the newsroom keeps them: the list with story counts, one author with their
// photo, and saving one (with its photo's images row, the audit row and a content-version
// bump, since bylines and author pages are cached) in one transaction.
import type { Db } from '../../db/database.ts';
import type { ImageRef } from '../../content/blocks.ts';
import type { StoredImage } from '../../content/image-store.ts';
import { recordAudit, type Actor } from '../audit.ts';
import type { AuthorFields } from './authors.ts';
import { slugTakenError } from './authors.ts';
import { changeContent, done, refuse, type Outcome } from './content-change.ts';
import type { FieldErrors } from '../form-result.ts';

export interface AuthorListing {
  id: number;
  name: string;
  title: string;
  slug: string;
  hasPhoto: boolean;
  stories: number;
}

export interface AuthorRecord {
  id: number;
  name: string;
  title: string;
  bio: string;
  slug: string;
  photo: ImageRef | null;
}

export async function listAuthors(db: Db): Promise<AuthorListing[]> {
  const rows = await db
    .selectFrom('authors')
    .leftJoin('article_authors', 'article_authors.author_id', 'authors.id')
    .select((eb) => ['authors.id', 'authors.name', 'authors.title', 'authors.slug', 'authors.photo_image_id', eb.fn.count<number>('article_authors.article_id').as('stories')])
    .groupBy(['authors.id', 'authors.name', 'authors.title', 'authors.slug', 'authors.photo_image_id'])
    .orderBy('authors.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, slug: r.slug, hasPhoto: r.photo_image_id !== null, stories: Number(r.stories) }));
}

export async function getAuthor(db: Db, id: number): Promise<AuthorRecord | null> {
  const row = await db
    .selectFrom('authors')
    .leftJoin('images', 'images.id', 'authors.photo_image_id')
    .select(['authors.id', 'authors.name', 'authors.title', 'authors.bio', 'authors.slug', 'images.id as image_id', 'images.width', 'images.height', 'images.widths'])
    .where('authors.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const photo = row.image_id && row.width && row.height && row.widths ? { id: row.image_id, width: row.width, height: row.height, widths: JSON.parse(row.widths) as number[] } : null;
  return { id: row.id, name: row.name, title: row.title, bio: row.bio, slug: row.slug, photo };
}

export type AuthorRefusal = { kind: 'invalid'; errors: FieldErrors } | { kind: 'not-found' };

/**
 * Creates (no `id`) or updates an author. `photo` is a picture already stored on disk: it
 * replaces the current one; without it, `removePhoto` clears the photo.
 */
export async function saveAuthor(
  db: Db,
  input: { id?: number; fields: AuthorFields; photo: StoredImage | null; actor: Actor; now: number },
): Promise<Outcome<{ id: number; slug: string }, AuthorRefusal>> {
  const { fields, photo, now } = input;
  return changeContent<{ id: number; slug: string }, AuthorRefusal>(db, async (tx) => {
    const before = input.id === undefined ? null : await tx.selectFrom('authors').select(['id', 'slug', 'name', 'photo_image_id']).where('id', '=', input.id).executeTakeFirst();
    if (input.id !== undefined && !before) return refuse({ kind: 'not-found' });
    const holder = await tx.selectFrom('authors').select(['id', 'name']).where('slug', '=', fields.slug).executeTakeFirst();
    if (holder && holder.id !== before?.id) return refuse({ kind: 'invalid', errors: slugTakenError(fields.slug, holder.name) });

    if (photo) {
      await tx
        .insertInto('images')
        .values({ id: photo.id, width: photo.width, height: photo.height, format: photo.format, widths: JSON.stringify(photo.widths), created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    const photoId = photo ? photo.id : fields.removePhoto ? null : before?.photo_image_id ?? null;
    const row = { name: fields.name, title: fields.title, bio: fields.bio, slug: fields.slug, photo_image_id: photoId };
    let id: number;
    if (before) {
      id = before.id;
      await tx.updateTable('authors').set(row).where('id', '=', id).execute();
    } else {
      id = (await tx.insertInto('authors').values({ ...row, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    }

    const notes = [
      before ? `edited ${fields.name}` : `added ${fields.name}`,
      before && before.slug !== fields.slug ? `page /author/${before.slug} → /author/${fields.slug}` : `page /author/${fields.slug}`,
      photo ? 'new photo' : before?.photo_image_id && photoId === null ? 'photo removed' : '',
    ].filter(Boolean);
    await recordAudit(tx, { actor: input.actor, action: 'author', detail: notes.join('; '), at: now });
    return done({ id, slug: fields.slug });
  });
}
