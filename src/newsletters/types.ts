// The shapes the newsletter modules pass between them: a list as the domain sees it, an
// issue's frozen content (what every recipient's copy is rendered from), and a recipient.
import type { AccessClass } from '../db/schema.ts';

export interface ListSchedule {
  /** ISO weekdays, Monday = 1 … Sunday = 7. */
  days: number[];
  /** "HH:MM", 24-hour, in the publication's time zone. */
  time: string;
}

export interface NewsletterList {
  id: number;
  slug: string;
  name: string;
  description: string;
  /** Readers holding this entitlement receive the list unless they opted out. */
  entitlement: string | null;
  isOpenToSignups: boolean;
  /** Composed from the day's stories and sent on `schedule` (the Daily). */
  isAutomatic: boolean;
  schedule: ListSchedule | null;
  isActive: boolean;
  position: number;
}

export interface IssueImage {
  /** Absolute URL of a variant about 600 px wide (JPEG or PNG: mail clients lack WebP). */
  src: string;
  width: number;
  height: number;
  alt: string;
  credit: string;
}

/** One story as the issue shows it, frozen when the issue is queued. */
export interface IssueStory {
  articleId: number;
  headline: string;
  dek: string;
  /** Absolute article URL without any token. */
  url: string;
  access: AccessClass;
  sectionName: string;
  /** "By Ann Lee and Tom Ruiz", or '' when the story has no byline. */
  byline: string;
  image: IssueImage | null;
}

/** Everything every copy of one issue is rendered from; stored as JSON in newsletter_issues.content. */
export interface IssueContent {
  issueId: number;
  listId: number;
  listSlug: string;
  listName: string;
  issueSlug: string;
  /** YYYY-MM-DD in the publication's time zone. */
  issueDate: string;
  subject: string;
  /** The editor's introduction, Markdown ('' for none). */
  intro: string;
  stories: IssueStory[];
  publicationName: string;
  publicUrl: string;
  timeZone: string;
  /** Absolute URL of the issue's page on the site. */
  archiveUrl: string;
  /** Absolute URL of the subscribe page, for free recipients' copies. */
  subscribeUrl: string;
}

/** What makes one copy personal. */
export interface RecipientLinks {
  /**
   * Held `web` when the issue was queued (may read subscriber-only stories on the site): their
   * links carry access tokens and the copy has no "For subscribers" marks or subscribe pitch.
   * Holding only the list's entitlement (a Weekly-only plan holds `daily`) does not count.
   */
  isEntitled: boolean;
  /** The address a story's headline and image link to for this recipient (click-counted). */
  storyUrl(story: IssueStory): string;
  /** The visible unsubscribe link (works without signing in). */
  unsubscribeUrl: string;
}
