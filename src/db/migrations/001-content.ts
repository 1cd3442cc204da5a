// The content model: settings, sections, authors, images, articles and their history.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { withId } from './columns.ts';

type Db = Kysely<any>;

export async function up(db: Db, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', time, (c) => c.notNull())
    .execute();
  await db.insertInto('meta').values({ key: 'content_version', value: 0 }).execute();

  await withId(db.schema.createTable('sections'), dialect)
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('sections.id').onDelete('restrict'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await withId(db.schema.createTable('authors'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema.createTable('images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('widths', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('articles'), dialect)
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('restrict'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('url_path', 'text', (c) => c.unique())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('dek', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'scheduled', 'published')`))
    .addColumn('access', 'text', (c) => c.notNull().check(sql`access in ('metered', 'free', 'subscriber')`))
    .addColumn('lead_image_id', 'text', (c) => c.references('images.id'))
    .addColumn('lead_caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lead_credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lead_alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('articles_section_slug', ['section_id', 'slug'])
    .execute();
  await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('articles_section_published').on('articles').columns(['section_id', 'status', 'published_at']).execute();

  await db.schema.createTable('article_authors')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id').onDelete('restrict'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
    .execute();
  await db.schema.createIndex('article_authors_author').on('article_authors').column('author_id').execute();

  await withId(db.schema.createTable('tags'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('article_tags')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('article_tags_tag').on('article_tags').column('tag_id').execute();

  await withId(db.schema.createTable('revisions'), dialect)
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('revisions_article').on('revisions').columns(['article_id', 'created_at']).execute();

  await withId(db.schema.createTable('corrections'), dialect)
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('corrected_at', time, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('corrections_article').on('corrections').column('article_id').execute();

  await db.schema.createTable('redirects')
    .addColumn('from_path', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .execute();

  await withId(db.schema.createTable('users'), dialect)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'writer')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  // Full-text search: an FTS5 table on SQLite (rowid = article id, kept in step by the
  // article store), a weighted tsvector on PostgreSQL.
  if (dialect === 'sqlite') {
    await sql`create virtual table articles_fts using fts5(headline, dek, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
  } else {
    await sql`alter table articles add column search tsvector generated always as (
      setweight(to_tsvector('english', coalesce(headline, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(dek, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(body_text, '')), 'C')) stored`.execute(db);
    await sql`create index articles_search on articles using gin (search)`.execute(db);
  }
}
