/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Letters to readers (letters:manage): GET /admin/letters (the running order, with each
// variant's impressions and clicks), GET/POST /admin/letters/new and /admin/letters/:id (the
// form), GET /admin/letters/:id/preview[?variant=<id>][&on=locked] (the letter on a sample
// story in the reader site's page, its button carrying the current offer's headline).
import { Hono } from 'hono';
import type { NewsroomDeps } from '../../deps.ts';
import { requireStaff } from '../../guard.tsx';
import { letterById, listLetters } from '../../../letters/letter-store.ts';
import { renderLetter } from '../../../letters/render.ts';
import { featuredOfferHeadline } from '../../../billing/catalog.ts';
import { getPolicy } from '../../../paywall/policy-store.ts';
import { lockedOffer } from '../../../site/paywall-html.ts';
import { letterFormValues, parseLetterForm } from '../../settings/letter-form.ts';
import { letterTallies, saveLetterFromNewsroom } from '../../settings/letter-settings.ts';
import { LetterFormPage, LetterPreviewPage, LettersListPage } from '../../views/letters.tsx';
import { SettingsNotFound } from '../../views/settings.tsx';
import { actorOf } from '../../audit.ts';
import { rowId } from '../../row-id.ts';
import { formBody, page } from './render.ts';

const BACK = { href: '/admin/letters', label: 'All letters' };

export function lettersRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();
  const { db } = deps;

  app.get('/admin/letters', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    const [letters, tallies] = await Promise.all([listLetters(db), letterTallies(db)]);
    return page(c, <LettersListPage frame={frame} letters={letters} tallies={tallies} isSaved={c.req.query('saved') === '1'} />);
  });

  app.get('/admin/letters/new', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    return page(c, <LetterFormPage frame={frame} letter={null} values={letterFormValues(null)} errors={{}} isSaved={false} />);
  });

  app.post('/admin/letters/new', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    const form = parseLetterForm(await formBody(c));
    if (!form.ok) return page(c, <LetterFormPage frame={frame} letter={null} values={form.values} errors={form.errors} isSaved={false} />, 422);
    const saved = await saveLetterFromNewsroom(deps, actorOf(frame), form.value);
    if (saved.ok) return c.redirect(`/admin/letters/${saved.letter.id}?saved=1`, 303);
    if ('notFound' in saved) return page(c, <SettingsNotFound frame={frame} what="letter" back={BACK} />, 404);
    return page(c, <LetterFormPage frame={frame} letter={null} values={form.values} errors={saved.errors} isSaved={false} />, 422);
  });

  app.get('/admin/letters/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const letter = id === null ? null : await letterById(db, id);
    if (!letter) return page(c, <SettingsNotFound frame={frame} what="letter" back={BACK} />, 404);
    return page(c, <LetterFormPage frame={frame} letter={letter} values={letterFormValues(letter)} errors={{}} isSaved={c.req.query('saved') === '1'} />);
  });

  app.post('/admin/letters/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const letter = id === null ? null : await letterById(db, id);
    if (!letter) return page(c, <SettingsNotFound frame={frame} what="letter" back={BACK} />, 404);
    const form = parseLetterForm(await formBody(c), { id: letter.id });
    if (!form.ok) return page(c, <LetterFormPage frame={frame} letter={letter} values={form.values} errors={form.errors} isSaved={false} />, 422);
    const saved = await saveLetterFromNewsroom(deps, actorOf(frame), form.value);
    if (saved.ok) return c.redirect(`/admin/letters/${letter.id}?saved=1`, 303);
    if ('notFound' in saved) return page(c, <SettingsNotFound frame={frame} what="letter" back={BACK} />, 404);
    return page(c, <LetterFormPage frame={frame} letter={letter} values={form.values} errors={saved.errors} isSaved={false} />, 422);
  });

  app.get('/admin/letters/:id{[0-9]+}/preview', async (c) => {
    const frame = await requireStaff(c, deps, 'letters:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const letter = id === null ? null : await letterById(db, id);
    if (!letter) return page(c, <SettingsNotFound frame={frame} what="letter" back={BACK} />, 404);
    const wanted = c.req.query('variant');
    const variant = wanted ? letter.variants.find((v) => String(v.id) === wanted) ?? null : null;
    if (wanted && !variant) return page(c, <SettingsNotFound frame={frame} what="variant of this letter" back={{ href: `/admin/letters/${letter.id}/preview`, label: 'The letter as written' }} />, 404);
    // The offer the subscribe page features: the first active offer of a plan on sale.
    const [offerHeadline, policy] = await Promise.all([featuredOfferHeadline(db), getPolicy(db)]);
    const isLocked = c.req.query('on') === 'locked';
    const letterHtml = renderLetter(letter, variant, { offerHeadline: offerHeadline ?? undefined, ctaHref: letter.ctaUrl });
    const wall = policy.registeredLimit > policy.anonymousLimit ? 'registration' : 'subscription';
    const offerHtml = lockedOffer({ access: 'locked', reason: 'limit-reached', wall, used: policy.anonymousLimit, limit: policy.anonymousLimit }, policy, '/');
    return page(c, (
      <LetterPreviewPage site={frame.site} letter={letter} variantId={variant?.id ?? null} letterHtml={letterHtml} isLocked={isLocked} offerHeadline={offerHeadline} lockedOfferHtml={offerHtml} />
    ));
  });

  return app;
}
