// Table types for Kysely. Times are integer milliseconds since the epoch (UTC) in both
// dialects; JSON is stored as text so one code path reads it everywhere.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ArticleStatus = 'draft' | 'scheduled' | 'published';
export type AccessClass = 'metered' | 'free' | 'subscriber';
export type StaffRole = 'admin' | 'editor' | 'writer';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MetaTable {
  key: string;
  value: number;
}

export interface SectionsTable {
  id: Generated<number>;
  path: string;
  name: string;
  parent_id: number | null;
  position: number;
  description: string;
}

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  title: string;
  bio: string;
  created_at: number;
}

export interface ImagesTable {
  id: string;
  width: number;
  height: number;
  format: string;
  /** JSON array of variant widths. */
  widths: string;
  created_at: number;
}

export interface ArticlesTable {
  id: Generated<number>;
  section_id: number;
  slug: string;
  /** The dated URL while published; null for drafts. Unique. */
  url_path: string | null;
  headline: string;
  dek: string;
  body_md: string;
  /** JSON of Block[] parsed from body_md on save. */
  blocks: string;
  /** Plain text of the body, for search. */
  body_text: string;
  dateline: string;
  status: ArticleStatus;
  access: AccessClass;
  lead_image_id: string | null;
  lead_caption: string;
  lead_credit: string;
  lead_alt: string;
  published_at: number | null;
  updated_at: number;
  created_at: number;
  word_count: number;
}

export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
}

export interface RevisionsTable {
  id: Generated<number>;
  article_id: number;
  created_at: number;
  /** Who or what saved it: 'import', 'demo', a staff e-mail. */
  source: string;
  /** JSON snapshot of the editable fields. */
  snapshot: string;
}

export interface CorrectionsTable {
  id: Generated<number>;
  article_id: number;
  corrected_at: number;
  text: string;
}

export interface RedirectsTable {
  from_path: string;
  article_id: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string;
  created_at: number;
}

export interface Database {
  settings: SettingsTable;
  meta: MetaTable;
  sections: SectionsTable;
  authors: AuthorsTable;
  images: ImagesTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  tags: TagsTable;
  article_tags: ArticleTagsTable;
  revisions: RevisionsTable;
  corrections: CorrectionsTable;
  redirects: RedirectsTable;
  users: UsersTable;
}

export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type SectionRow = Selectable<SectionsTable>;
export type AuthorRow = Selectable<AuthorsTable>;
export type UserRow = Selectable<UsersTable>;
