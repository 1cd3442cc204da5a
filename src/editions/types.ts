// The Weekly: what an edition holds once its stories are chosen, frozen for the renderers.
// PDF and EPUB are built from this alone (no database), so a build is a pure function of it
// plus the picture files it names.
import type { Block } from '../content/blocks.ts';

export interface EditionImage {
  /** Absolute path of a JPEG on disk (a stored variant, about 1,200 px wide). */
  file: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  /** "Joshua Roberts/AP"; '' when none. */
  credit: string;
}

export interface EditionStory {
  articleId: number;
  headline: string;
  dek: string;
  /** "By Ann Lee and Tom Ruiz", or '' when the story has no byline. */
  byline: string;
  /** "SOCHI, Russia" — opens the first paragraph; '' for none. */
  dateline: string;
  sectionName: string;
  /** Absolute URL of the story on the site. */
  url: string;
  publishedAt: number;
  /** The whole body: editions go only to entitled readers. */
  blocks: Block[];
  image: EditionImage | null;
  /** JPEG files of the pictures inside the body, by ImageRef id (absent: the picture is left out). */
  inlineImages: Record<string, string>;
}

export interface EditionContent {
  editionId: number;
  /** Issue number, counting from the first edition. */
  number: number;
  /** ISO week, "2026-W47". */
  week: string;
  title: string;
  /** First and last day covered, YYYY-MM-DD in the publication's time zone. */
  from: string;
  to: string;
  /** "November 16–22, 2026". */
  dateLine: string;
  publicationName: string;
  tagline: string;
  publicUrl: string;
  timeZone: string;
  /** The story the cover sells, and the picture it uses (the story's lead, or chosen). */
  coverStoryId: number | null;
  coverImage: EditionImage | null;
  /** Short lines on the cover, e.g. "Why the harbor matters · page 6". */
  coverLines: string[];
  /** The editor's introduction, Markdown ('' for none). */
  intro: string;
  /** In reading order; sections are runs of the same sectionName. */
  stories: EditionStory[];
}
