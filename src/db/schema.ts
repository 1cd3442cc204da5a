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
  photo_image_id: string | null;
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
  /** Plain text of the body. */
  body_text: string;
  /** What search may see of the body: all of a free story's, none of a metered one's. */
  search_body: string;
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
  /** The staff member who started it in the newsroom; null for imports and the demo. */
  created_by: number | null;
  /** When a writer handed the draft in for editing; null when not waiting for an editor. */
  submitted_at: number | null;
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
  failed_logins: Generated<number>;
  locked_until: number | null;
}

export interface ReadersTable {
  id: Generated<number>;
  email: string;
  name: string;
  /** No longer read: newsletter choices live in list_members since migration 008. */
  newsletters: string;
  provider_customer_id: string | null;
  created_at: number;
  last_login_at: number | null;
}

export interface LoginTokensTable {
  id: Generated<number>;
  token_hash: string;
  purpose: 'login' | 'email-change';
  email: string;
  reader_id: number | null;
  return_to: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  reader_id: number | null;
  user_id: number | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export interface PlansTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  billing_interval: 'month' | 'year';
  /** JSON array of entitlements. */
  entitlements: string;
  is_active: number;
  position: number;
}

export interface PlanPricesTable {
  provider: string;
  price_id: string;
  plan_id: number;
}

export interface OffersTable {
  id: Generated<number>;
  slug: string;
  plan_id: number;
  headline: string;
  intro_total_cents: number | null;
  intro_months: number | null;
  trial_days: number | null;
  is_active: number;
  position: number;
}

export interface CouponsTable {
  code: string;
  percent_off: number | null;
  amount_off_cents: number | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_months: number | null;
  max_redemptions: number | null;
  redeemed_count: number;
  expires_at: number | null;
  is_active: number;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  reader_id: number;
  plan_id: number;
  provider: string;
  provider_subscription_id: string;
  provider_customer_id: string;
  status: string;
  current_period_start: number;
  current_period_end: number;
  cancel_at_period_end: number;
  trial_end: number | null;
  past_due_since: number | null;
  ended_at: number | null;
  /** The period end an "ending soon" notice was sent for (one notice per period). */
  ending_notice_sent_for: number | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentsTable {
  id: Generated<number>;
  reader_id: number | null;
  subscription_id: number | null;
  provider: string;
  provider_payment_id: string;
  kind: string;
  amount_cents: number;
  currency: string;
  status: string;
  created_at: number;
}

export interface ProviderEventsTable {
  provider: string;
  event_id: string;
  kind: string;
  received_at: number;
}

export interface CheckoutsTable {
  id: Generated<number>;
  provider: string;
  provider_checkout_id: string;
  reader_id: number | null;
  kind: 'subscription' | 'gift';
  plan_id: number;
  offer_id: number | null;
  coupon_code: string | null;
  status: string;
  created_at: number;
}

export interface GiftsTable {
  id: Generated<number>;
  token_hash: string;
  plan_id: number;
  months: number;
  purchaser_email: string;
  purchaser_name: string;
  recipient_email: string;
  message: string;
  amount_cents: number;
  currency: string;
  status: 'pending' | 'paid' | 'redeemed';
  provider_checkout_id: string | null;
  redeemed_by: number | null;
  starts_at: number | null;
  ends_at: number | null;
  created_at: number;
}

export interface MailOutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface DemoBillingTable {
  id: string;
  kind: string;
  data: string;
  created_at: number;
  updated_at: number;
}

export interface DemoDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  created_at: number;
}

export interface MeterViewsTable {
  id: Generated<number>;
  /** "a:<browser id>" for anonymous readers, "r:<reader id>" for registered ones. */
  reader_key: string;
  window_key: string;
  article_id: number;
  viewed_at: number;
}

export interface GateLinksTable {
  id: string;
  kind: 'gift' | 'print';
  article_id: number;
  issuer_reader_id: number | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  kind: string;
  article_id: number | null;
  reader_key: string | null;
  detail: string;
  created_at: number;
}

export interface LettersTable {
  id: Generated<number>;
  slug: string;
  title: string;
  body_md: string;
  signature: string;
  cta_label: string;
  cta_url: string;
  /** JSON array of audiences ("anonymous", "registered", "subscriber", "lapsed"). */
  audience: string;
  min_read: number | null;
  /** JSON array of section path prefixes; [] = every section. */
  sections: string;
  frequency_days: number;
  placement: 'after-body' | 'locked' | 'both';
  is_active: number;
  position: number;
  created_at: number;
}

export interface LetterVariantsTable {
  id: Generated<number>;
  letter_id: number;
  name: string;
  title: string | null;
  body_md: string | null;
  cta_label: string | null;
  weight: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  /** The staff member's e-mail at the time (kept when the account is gone). */
  actor: string;
  /** e.g. publish, unpublish, schedule, access, restore, delete (see admin/audit.ts). */
  action: string;
  article_id: number | null;
  detail: string;
}

export interface FrontPageTable {
  /** 0 is the lead story; 1..n the top stories in order. */
  slot: number;
  article_id: number;
}

export interface LetterViewsTable {
  /** The meter's reader key: "a:<browser id>" or "r:<reader id>". */
  reader_key: string;
  letter_id: number;
  last_shown_at: number;
  shows: number;
}

export interface NewsletterListsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  /** Readers holding this entitlement receive the list unless they opted out; null: none do. */
  entitlement: string | null;
  /** Anyone may sign up with an e-mail address (double opt-in). */
  is_open_to_signups: number;
  /** Issues are composed from the day's stories and sent on the schedule (the Daily). */
  is_automatic: number;
  /** JSON {"days":[1..7 (Monday=1)],"time":"HH:MM"} in the publication's zone; null: by hand. */
  schedule: string | null;
  is_active: number;
  position: number;
  created_at: number;
}

export type ListMemberStatus = 'pending' | 'active' | 'unsubscribed';

export interface ListMembersTable {
  id: Generated<number>;
  list_id: number;
  /** Lower-cased. */
  email: string;
  reader_id: number | null;
  status: ListMemberStatus;
  /** SHA-256 of the double opt-in token while pending. */
  confirm_token_hash: string | null;
  confirm_expires_at: number | null;
  /** Where the sign-up came from: site, account, admin, unsubscribe (an entitled reader opting out). */
  source: string;
  created_at: number;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export type IssueStatus = 'draft' | 'queued' | 'sending' | 'sent' | 'cancelled';

export interface NewsletterIssuesTable {
  id: Generated<number>;
  list_id: number;
  /** The Daily's date (YYYY-MM-DD); for a list sent by hand, the date with a counter. */
  slug: string;
  /** YYYY-MM-DD in the publication's time zone. */
  issue_date: string;
  status: IssueStatus;
  subject: string;
  /** Markdown, written by an editor. */
  intro: string;
  /** JSON array of article ids in order once an editor arranged them; null: automatic. */
  story_ids: string | null;
  /** JSON snapshot of the composed issue, frozen when it is queued. */
  content: string | null;
  send_at: number | null;
  queued_at: number | null;
  finished_at: number | null;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

export type SendStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed';

export interface NewsletterSendsTable {
  id: Generated<number>;
  issue_id: number;
  email: string;
  reader_id: number | null;
  /** Held `web` when queued (a subscriber): subscriber-only stories open from this copy. */
  is_entitled: number;
  status: SendStatus;
  attempts: number;
  next_attempt_at: number;
  /** While 'sending': the claim expires then, and a crashed sender's rows are taken again. */
  lease_until: number | null;
  /** The claiming sender pass's random token; follow-up updates must name it. */
  claim_token: Generated<string | null>;
  /** Set just before the copy goes to the mail server; cleared when known not to have gone out. */
  handed_at: Generated<number | null>;
  /** Times taken again while it may already have gone out (in flight when its sender stopped). */
  resends: Generated<number>;
  last_error: string | null;
  sent_at: number | null;
}

export interface MailSuppressionsTable {
  /** Lower-cased. */
  email: string;
  reason: 'hard-bounce' | 'complaint' | 'manual';
  detail: string;
  created_at: number;
}

export interface MailFeedbackTable {
  event_id: string;
  kind: string;
  email: string;
  received_at: number;
}

export type EditionStatus = 'draft' | 'published';

export interface EditionsTable {
  id: Generated<number>;
  /** ISO week in the publication's time zone, "2026-W47". */
  week: string;
  /** 1, 2, … in week order. */
  number: number;
  title: string;
  /** Markdown, the editor's introduction. */
  intro: string;
  status: EditionStatus;
  cover_story_id: number | null;
  /** JSON array of strings printed on the cover. */
  cover_lines: string;
  /** JSON array of article ids in order once an editor arranged them; null: automatic. */
  story_ids: string | null;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
  published_at: number | null;
  /** The announcement issue on the `weekly` list. */
  announced_issue_id: number | null;
  /** The publication's name, tagline and public address when the edition was published; null before. */
  publication_name: string | null;
  publication_tagline: string | null;
  public_url: string | null;
}

export interface Database {
  settings: SettingsTable;
  meta: MetaTable;
  audit_log: AuditLogTable;
  front_page: FrontPageTable;
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
  readers: ReadersTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  plans: PlansTable;
  offers: OffersTable;
  plan_prices: PlanPricesTable;
  coupons: CouponsTable;
  subscriptions: SubscriptionsTable;
  payments: PaymentsTable;
  provider_events: ProviderEventsTable;
  checkouts: CheckoutsTable;
  gifts: GiftsTable;
  mail_outbox: MailOutboxTable;
  demo_billing: DemoBillingTable;
  demo_deliveries: DemoDeliveriesTable;
  meter_views: MeterViewsTable;
  letters: LettersTable;
  letter_variants: LetterVariantsTable;
  letter_views: LetterViewsTable;
  gate_links: GateLinksTable;
  events: EventsTable;
  newsletter_lists: NewsletterListsTable;
  list_members: ListMembersTable;
  newsletter_issues: NewsletterIssuesTable;
  newsletter_sends: NewsletterSendsTable;
  mail_suppressions: MailSuppressionsTable;
  mail_feedback: MailFeedbackTable;
  editions: EditionsTable;
}

export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type SectionRow = Selectable<SectionsTable>;
export type AuthorRow = Selectable<AuthorsTable>;
export type UserRow = Selectable<UsersTable>;
export type ReaderRow = Selectable<ReadersTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type PlanRow = Selectable<PlansTable>;
export type OfferRow = Selectable<OffersTable>;
