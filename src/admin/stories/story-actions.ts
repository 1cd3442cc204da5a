// The editor's one use case: a form (or an autosave) applied to a story with an intent —
// save, submit, publish, schedule, unpublish — plus a correction when one is typed. It asks
// the policy whether this staff member may, parses and checks the form, stores an uploaded
// lead picture, resolves the body's pictures, and saves through saveArticle, writing who
// started the story, whether it waits for an editor, and the audit log in the same
// transaction. Nothing is written when anything is refused or invalid.
//
// Every decision here (permission, publication plan, correction) is taken on the story as
// read before the transaction. The save therefore expects the story unchanged: since the
// editor page was rendered (the form's base_updated_at), and in any case since that read.
// saveArticle checks it first thing inside its transaction, so a save that lost a race
// writes nothing and the writer gets their text back with a 409.
import { bodyText, countWords } from '../../content/blocks.ts';
import { saveArticle, type ArticleInput, type CorrectionInput } from '../../content/article-store.ts';
import { ContentError } from '../../content/errors.ts';
import { ImageError, storeImage, type StoredImage } from '../../content/image-store.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { listSections } from '../../content/queries.ts';
import { slugify } from '../../content/slug.ts';
import type { Db, Dialect } from '../../db/database.ts';
import type { ArticleStatus, StaffRole } from '../../db/schema.ts';
import { defaultAccessFor } from '../../paywall/meter-policy.ts';
import { getPolicy } from '../../paywall/policy-store.ts';
import { actorOf, recordAudit } from '../audit.ts';
import { can } from '../permissions.ts';
import { isTooBig, tooBigMessage } from '../uploads.ts';
import { rememberImage } from '../preview/image-library.ts';
import { knownImages, resolveInlineImages } from './inline-images.ts';
import {
  formValues, isDerivedSlug, LIMITS, numberedSlug, parseStoryForm,
  type FieldErrors, type Intent, type StoryDraft, type StoryFormValues,
} from './story-form.ts';
import { auditTrail, authorizeIntent, chooseAccess, planPublication, refusalMessage, refusalStatus, type IntentRefusal } from './story-policy.ts';
import { loadStory, type StoryRecord } from './story-record.ts';
import { getImage } from '../../content/queries.ts';

export interface StoryContext {
  db: Db;
  dialect: Dialect;
  mediaDir: string;
  now: () => number;
  timeZone: string;
}

export interface StoryStaff {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
}

export interface StorySubmission {
  staff: StoryStaff;
  /** null: a new story. */
  storyId: number | null;
  intent: Intent;
  mode: 'form' | 'autosave';
  /** The request's form fields as parsed (text, and the lead picture's File). */
  fields: Record<string, unknown>;
}

export type StoryOutcome =
  | { ok: true; id: number; status: ArticleStatus; urlPath: string | null; savedAt: number; wordCount: number; isNew: boolean; isChanged: boolean }
  | { ok: false; reason: 'not-found' }
  /** An autosave reached a story that is out: autosave never touches those. */
  | { ok: false; reason: 'live-story' }
  | { ok: false; reason: 'refused'; refusal: IntentRefusal; status: 403 | 409; message: string }
  /**
   * The story was saved by someone else after the writer's page was opened (or during this
   * save): nothing written. `story` is the story as it now stands; `values` what was sent.
   */
  | { ok: false; reason: 'stale'; savedAt: number; story: StoryRecord; values: StoryFormValues; leadImage: StoredImage | null }
  | { ok: false; reason: 'invalid'; errors: FieldErrors; values: StoryFormValues; story: StoryRecord | null; leadImage: StoredImage | null };

/** Thrown inside the save's transaction to roll it back: a new story met another's slug. */
class SlugRace extends Error {}

export async function saveStory(ctx: StoryContext, sub: StorySubmission): Promise<StoryOutcome> {
  const { db } = ctx;
  const { staff, intent, mode } = sub;
  const story = sub.storyId === null ? null : await loadStory(db, sub.storyId);
  if (sub.storyId !== null && !story) return { ok: false, reason: 'not-found' };
  if (mode === 'autosave' && story && story.status !== 'draft') return { ok: false, reason: 'live-story' };
  const decision = authorizeIntent(staff, story, intent);
  if (!decision.allowed) return { ok: false, reason: 'refused', refusal: decision.reason, status: refusalStatus(decision.reason), message: refusalMessage(decision.reason, intent) };
  const base = baseUpdatedAt(sub.fields.base_updated_at);

  const now = ctx.now();
  const sections = await listSections(db);
  const upload = uploadedFile(sub.fields.lead_image);
  const typed = formValues(sub.fields);
  const parsed = parseStoryForm(sub.fields, {
    intent,
    mode,
    sectionPaths: sections.map((s) => s.path),
    timeZone: ctx.timeZone,
    now,
    hasLeadImage: upload !== null || (!typed.lead_remove && typed.lead_image_id.trim() !== ''),
    isLive: story !== null && story.status !== 'draft',
    fallbackByline: staff.name,
  });
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const values: StoryFormValues = { ...parsed.values };
  const fail = (field: keyof FieldErrors, message: string) => {
    errors[field] ??= message;
  };

  // The lead picture: an upload is stored (even when something else is wrong, so the writer
  // need not choose it again); otherwise the library picture the form names is kept.
  let leadImage: StoredImage | null = null;
  if (upload) {
    if (isTooBig(upload)) {
      fail('lead_image', tooBigMessage('The picture'));
    } else {
      try {
        leadImage = await storeImage({ dir: ctx.mediaDir, input: Buffer.from(await upload.arrayBuffer()) });
        await rememberImage(db, leadImage, now);
        values.lead_image_id = leadImage.id;
        values.lead_remove = false;
      } catch (err) {
        if (!(err instanceof ImageError)) throw err;
        fail('lead_image', err.message);
      }
    }
  } else if (!values.lead_remove && /^[0-9a-f]{24}$/.test(values.lead_image_id.trim())) {
    const id = values.lead_image_id.trim();
    leadImage = story?.leadImage?.id === id ? story.leadImage : await getImage(db, id);
    if (!leadImage) fail('lead_image', 'That picture is no longer in the library; choose it again.');
  }

  // The body's pictures, by library id or (for imported stories) by the names they were written with.
  const body = parsed.ok ? parsed.draft.body : values.body;
  const inline = body.length <= LIMITS.body ? await resolveInlineImages(db, parseMarkdown(body), { known: story ? knownImages(story.blocks) : undefined }) : null;
  // An autosave keeps a half-typed figure (it shows nothing yet); a save with the buttons must resolve it.
  if (inline && !inline.ok && mode === 'form') fail('body', inline.message);

  const draft: StoryDraft | null = parsed.ok ? parsed.draft : null;
  let slug: string | null = null;
  if (draft) {
    slug = await chooseSlug(db, draft, story);
    if (slug === null) fail('slug', `Another story in ${draft.sectionPath} already uses this slug; choose another.`);
  }
  let correction: CorrectionInput | undefined;
  if (draft?.correction) {
    const canCorrect = story?.status === 'published' && (intent === 'save' || intent === 'publish') && can(staff, 'stories:publish');
    if (canCorrect) correction = { at: now, text: draft.correction };
    else fail('correction', 'Corrections are added to published stories only, by an editor.');
  }

  // A page opened before someone else's save: their version stands, whatever else is wrong.
  if (story && base !== null && base !== story.updatedAt) return { ok: false, reason: 'stale', savedAt: story.updatedAt, story, values, leadImage };
  if (!draft || !inline || slug === null || Object.keys(errors).length > 0) {
    return { ok: false, reason: 'invalid', errors, values, story, leadImage };
  }

  const policy = await getPolicy(db);
  const access = chooseAccess({ staff, stored: story?.access ?? null, typed: draft.access, sectionDefault: defaultAccessFor(policy, draft.sectionPath) });
  const plan = planPublication(story, intent, { now, publishAt: draft.publishAt });
  const input: ArticleInput = {
    id: story?.id,
    headline: draft.headline,
    dek: draft.dek,
    sectionPath: draft.sectionPath,
    authors: draft.authors,
    dateline: draft.dateline,
    publishedAt: plan.publishedAt,
    access,
    tags: draft.tags,
    bodyMarkdown: draft.body,
    blocks: inline.blocks,
    leadImage: leadImage ? { image: leadImage, caption: draft.leadCaption, credit: draft.leadCredit, alt: draft.leadAlt } : null,
    slug,
    // Appended to the corrections as they stand inside the transaction, never a list read before it.
    appendCorrection: correction,
  };
  const wordCount = countWords(bodyText(inline.blocks));

  // An autosave that changes nothing keeps no new revision.
  if (mode === 'autosave' && story && isUnchanged(story, input)) {
    return { ok: true, id: story.id, status: story.status, urlPath: story.urlPath, savedAt: story.updatedAt, wordCount: story.wordCount, isNew: false, isChanged: false };
  }

  try {
    const saved = await saveArticle(ctx, input, {
      source: staff.email,
      now,
      timeZone: ctx.timeZone,
      // Without a base (a client that sends none), at least the story this save was decided on.
      expect: story ? { updatedAt: base ?? story.updatedAt } : undefined,
      within: async (tx, result) => {
        // Without an id saveArticle matches by section + slug: a new story must not land on another's.
        if (!story && !result.isNew) throw new SlugRace();
        await tx
          .updateTable('articles')
          .set(story ? { submitted_at: plan.submittedAt } : { submitted_at: plan.submittedAt, created_by: staff.id })
          .where('id', '=', result.id)
          .execute();
        const trail = auditTrail({
          before: story ? { status: story.status, access: story.access, urlPath: story.urlPath, publishedAt: story.publishedAt } : null,
          after: { status: result.status, access, urlPath: result.urlPath, publishedAt: plan.publishedAt, headline: draft.headline },
          intent,
          correction: correction ? correction.text : null,
          timeZone: ctx.timeZone,
        });
        for (const entry of trail) {
          await recordAudit(tx, { actor: actorOf({ staff }), action: entry.action, articleId: result.id, detail: entry.detail, at: now });
        }
      },
    });
    return { ok: true, id: saved.id, status: saved.status, urlPath: saved.urlPath, savedAt: now, wordCount, isNew: saved.isNew, isChanged: true };
  } catch (err) {
    if (err instanceof ContentError && err.code === 'stale' && story) {
      const current = await loadStory(db, story.id);
      if (!current) return { ok: false, reason: 'not-found' };
      return { ok: false, reason: 'stale', savedAt: current.updatedAt, story: current, values, leadImage };
    }
    if (err instanceof SlugRace) fail('slug', `Another story in ${draft.sectionPath} already uses this slug; choose another.`);
    else if (err instanceof ContentError) fail(fieldOf(err), err.message);
    else throw err;
    return { ok: false, reason: 'invalid', errors, values, story, leadImage };
  }
}

/** The form's base_updated_at: null when none was sent; NaN (never equal, so stale) when it is not a time. */
function baseUpdatedAt(v: unknown): number | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  return /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
}

function uploadedFile(v: unknown): File | null {
  return v instanceof File && v.size > 0 ? v : null;
}

/**
 * The slug to save, or null when the typed one is taken. Without a typed slug it is made from
 * the headline and numbered when another story in the section has it; a story whose slug was
 * already made from this headline keeps it, so its URL does not wander.
 */
async function chooseSlug(db: Db, draft: StoryDraft, story: StoryRecord | null): Promise<string | null> {
  if (draft.slug === null && story && story.sectionPath === draft.sectionPath && isDerivedSlug(story.slug, draft.headline)) return story.slug;
  const wanted = draft.slug ?? slugify(draft.headline);
  const taken = await slugsLike(db, draft.sectionPath, wanted, story?.id ?? null);
  if (!taken.has(wanted)) return wanted;
  if (draft.slug !== null) return null;
  let n = 2;
  while (taken.has(numberedSlug(wanted, n))) n++;
  return numberedSlug(wanted, n);
}

/** Slugs in the section equal to `base` or numbered from it, other than this story's own. */
async function slugsLike(db: Db, sectionPath: string, base: string, excludeId: number | null): Promise<Set<string>> {
  let q = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select('articles.slug')
    .where('sections.path', '=', sectionPath)
    // Slugs hold only letters, digits and '-', so the LIKE needs no escaping; numberedSlug may cut the base.
    .where((eb) => eb.or([eb('articles.slug', '=', base), eb('articles.slug', 'like', `${base.slice(0, 60)}%`)]));
  if (excludeId !== null) q = q.where('articles.id', '!=', excludeId);
  return new Set((await q.execute()).map((r) => r.slug));
}

function fieldOf(err: ContentError): keyof FieldErrors {
  switch (err.code) {
    case 'slug-taken':
    case 'invalid-slug':
      return 'slug';
    case 'invalid-section':
      return 'section';
    case 'image-missing':
      return 'lead_image';
    case 'invalid-article':
    case 'stale': // answered as a conflict before this is asked
      return /author/i.test(err.message) ? 'authors' : 'headline';
  }
}

function isUnchanged(story: StoryRecord, input: ArticleInput): boolean {
  const list = (xs: string[]) => xs.map((x) => x.toLowerCase()).sort().join('\n');
  return (
    story.headline === input.headline &&
    story.dek === input.dek &&
    story.sectionPath === input.sectionPath &&
    story.slug === input.slug &&
    story.authors.join('\n') === input.authors.join('\n') &&
    list(story.tags) === list(input.tags) &&
    story.dateline === input.dateline &&
    story.access === input.access &&
    story.bodyMarkdown === input.bodyMarkdown &&
    story.publishedAt === input.publishedAt &&
    (story.leadImage?.id ?? null) === (input.leadImage?.image.id ?? null) &&
    story.leadCaption === (input.leadImage?.caption ?? '') &&
    story.leadCredit === (input.leadImage?.credit ?? '') &&
    story.leadAlt === (input.leadImage?.alt ?? '')
  );
}
