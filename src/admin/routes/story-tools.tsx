/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The editor's tools: picture uploads into the library, the body's live preview, and the
// story's reader page as each kind of reader would see it. The editor page itself (and its
// save and autosave) lives in stories.tsx; these routes only read stories.
//
//   POST /admin/images                        stories:write          picture → library (JSON)
//   POST /admin/stories/preview-body          stories:write          Markdown body → HTML fragment
//   GET  /admin/stories/:id/preview?as=…      who may edit the story reader page as that reader
import { Hono, type Context } from 'hono';
import type { Block, ImageRef } from '../../content/blocks.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { z } from 'zod';
import { escapeHtml } from '../../content/escape.ts';
import { ImageError, storeImage } from '../../content/image-store.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { html } from '../../site/reader-routes.tsx';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import { AdminLayout, type AdminFrame } from '../layout.tsx';
import { NoSuchStory } from '../views/stories.tsx';
import { rowId } from '../row-id.ts';
import { canEditStory } from '../permissions.ts';
import { Forbidden } from '../views.tsx';
import { renderBodyPreview } from '../preview/body-preview.ts';
import { IMAGE_SCHEME, rememberImage } from '../preview/image-library.ts';
import { knownImages, resolveInlineImages } from '../stories/inline-images.ts';
import { PREVIEW_KINDS } from '../preview/reader-decision.ts';
import { isTooBig, MAX_UPLOAD_BYTES, tooBigMessage } from '../uploads.ts';
import { loadPreviewStory, renderReaderPreview, storyOwnership } from '../preview/reader-preview.tsx';

/** Longest body the live preview renders (a long read is ~60,000 characters). */
const MAX_BODY_CHARS = 500_000;

const previewBodySchema = z.object({
  body: z.string().max(MAX_BODY_CHARS, 'The body is too long to preview.'),
  dateline: z.string().max(200).optional(),
});
const previewAsSchema = z.enum(PREVIEW_KINDS).default('anonymous');

export function storyToolsRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();

  app.post('/admin/images', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > MAX_UPLOAD_BYTES + 64 * 1024) return c.json({ ok: false, error: tooBigMessage() }, 413);
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) return c.json({ ok: false, error: 'Choose a picture file to upload.' }, 422);
    if (isTooBig(file)) return c.json({ ok: false, error: tooBigMessage() }, 413);
    let stored;
    try {
      stored = await storeImage({ dir: deps.mediaDir, input: Buffer.from(await file.arrayBuffer()) });
    } catch (err) {
      if (err instanceof ImageError) return c.json({ ok: false, error: err.message, code: err.code }, 422);
      throw err;
    }
    await rememberImage(deps.db, stored, deps.now());
    deps.logger.info({ imageId: stored.id, staffId: frame.staff.id }, 'picture uploaded');
    return c.json({
      ok: true,
      id: stored.id,
      width: stored.width,
      height: stored.height,
      widths: stored.widths,
      src: `${IMAGE_SCHEME}${stored.id}`,
      thumb: `/media/${stored.id}/${Math.min(...stored.widths)}.webp`,
    });
  });

  app.post('/admin/stories/preview-body', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const form = await c.req.parseBody();
    const parsed = previewBodySchema.safeParse({
      body: form.body ?? '',
      dateline: typeof form.dateline === 'string' ? form.dateline : undefined,
    });
    if (!parsed.success) return c.html(`<p class="field-error">${escapeHtml(parsed.error.issues[0]?.message ?? 'The body cannot be previewed.')}</p>`, 422);
    // An imported story's figures name files it already holds pictures for: resolve them as saving will.
    const storyId = typeof form.story_id === 'string' ? rowId(form.story_id) : null;
    const known = storyId !== null ? await storyPictures(storyId, frame) : undefined;
    const { blocks } = await resolveInlineImages(deps.db, parseMarkdown(parsed.data.body), { known });
    return c.html(renderBodyPreview(blocks, { dateline: parsed.data.dateline?.trim() }));
  });

  app.get('/admin/stories/:id/preview', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const kind = previewAsSchema.safeParse(c.req.query('as') || undefined);
    if (id === null) return notFound(c, frame);
    if (!kind.success) return c.html(await html(<AdminLayout frame={frame} title="Preview"><h1>Preview</h1><p>There is no such kind of reader to preview as. <a href={`/admin/stories/${id}/preview`}>Preview as a first-time reader</a>.</p></AdminLayout>), 400);
    const owner = await storyOwnership(deps.db, id);
    if (!owner) return notFound(c, frame);
    if (!mayPreview(frame, owner)) {
      return c.html(await html(<Forbidden frame={frame} message="Only the writer who started this story and editors may preview it." />), 403);
    }
    const { site } = await deps.state.current();
    const story = await loadPreviewStory(deps.db, id, { now: deps.now(), timeZone: site.publication.timeZone });
    if (!story) return notFound(c, frame);
    c.header('x-robots-tag', 'noindex, nofollow');
    return c.html(
      await renderReaderPreview({ db: deps.db, site, story, kind: kind.data, editUrl: `/admin/stories/${id}/edit`, previewUrl: `/admin/stories/${id}/preview` }),
    );
  });

  /** The pictures a story's stored body already points at, when this staff member may see the story. */
  async function storyPictures(id: number, frame: AdminFrame): Promise<Map<string, ImageRef> | undefined> {
    const row = await deps.db.selectFrom('articles').select(['blocks', 'created_by', 'status']).where('id', '=', id).executeTakeFirst();
    if (!row || !mayPreview(frame, { createdBy: row.created_by, status: row.status })) return undefined;
    return knownImages(JSON.parse(row.blocks) as Block[]);
  }

  return app;
}

/** Who may see a story's preview: whoever may edit it, and the writer who started it, whatever became of it. */
function mayPreview(frame: AdminFrame, story: { createdBy: number | null; status: ArticleStatus }): boolean {
  return canEditStory(frame.staff, story).allowed || (story.createdBy !== null && story.createdBy === frame.staff.id);
}

async function notFound(c: Context, frame: AdminFrame): Promise<Response> {
  return c.html(await html(<NoSuchStory frame={frame} />), 404);
}
