// A published edition is a fixed thing: what it was published as is kept on its row (its
// stories in story_ids and cover_story_id, set when it is published), with the publication's
// name, tagline and public address at that moment, so renaming the publication or moving the
// site does not rebuild every back issue. Null on drafts and on editions published before.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  await db.schema.alterTable('editions').addColumn('publication_name', 'text').execute();
  await db.schema.alterTable('editions').addColumn('publication_tagline', 'text').execute();
  await db.schema.alterTable('editions').addColumn('public_url', 'text').execute();
}
