/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Readers and subscribers (admins: 'readers:manage', as it is personal data): the list, one
// reader's record, and the newsroom's actions on it — a complimentary subscription, a
// cancellation, signing out everywhere. The staff pages are mounted here too.
import { Hono, type Context } from 'hono';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { actorOf } from '../audit.ts';
import { rowId } from '../row-id.ts';
import { privatePage } from '../../site/private-page.ts';
import { BillingError } from '../../billing/billing-service.ts';
import { createBillingMail } from '../../billing/billing-mail.ts';
import { displayDate } from '../../content/dates.ts';
import { parseCancelForm, parseComplimentaryForm, parseReaderSearch } from '../readers/reader-forms.ts';
import { loadReaderDetail, searchReaders } from '../readers/reader-queries.ts';
import { cancelReaderSubscription, grantComplimentaryToReader, signReaderOutEverywhere } from '../readers/reader-actions.ts';
import { ReaderDetailPage, ReaderNotFoundPage, ReadersListPage, type CompFormState, type ReaderPageNotice } from '../views/readers.tsx';
import { staffRoutes } from './staff.tsx';

export function readersRoutes(deps: NewsroomDeps): Hono {
  const { db } = deps;
  const app = new Hono();
  const readerId = (c: Context) => rowId(c.req.param('id'));
  const ctxOf = (frame: AdminFrame) => ({ db, actor: actorOf(frame), now: deps.now(), timeZone: frame.site.publication.timeZone });
  const notFound = (c: Context, frame: AdminFrame) => privatePage(c, <ReaderNotFoundPage frame={frame} />, 404);

  /** The reader's page, with a result or refusal, or the form that failed; 404 for no such reader. */
  const readerPage = async (c: Context, frame: AdminFrame, id: number, state: { notice?: ReaderPageNotice; compForm?: CompFormState } = {}, status = 200) => {
    const detail = await loadReaderDetail(db, id, deps.now());
    if (!detail) return notFound(c, frame);
    return privatePage(c, <ReaderDetailPage frame={frame} detail={detail} notice={state.notice} compForm={state.compForm} />, status);
  };

  app.get('/admin/readers', async (c) => {
    const frame = await requireStaff(c, deps, 'readers:manage');
    if (frame instanceof Response) return frame;
    const search = parseReaderSearch(c.req.query());
    const list = await searchReaders(db, search, deps.now());
    return privatePage(c, <ReadersListPage frame={frame} search={search} list={list} />);
  });

  app.get('/admin/readers/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'readers:manage');
    if (frame instanceof Response) return frame;
    const id = readerId(c);
    if (id === null) return notFound(c, frame);
    return readerPage(c, frame, id, { notice: await doneNotice(c, frame, id) });
  });

  app.post('/admin/readers/:id{[0-9]+}/complimentary', async (c) => {
    const frame = await requireStaff(c, deps, 'readers:manage');
    if (frame instanceof Response) return frame;
    const id = readerId(c);
    const detail = id === null ? null : await loadReaderDetail(db, id, deps.now());
    if (id === null || !detail) return notFound(c, frame);
    const form = parseComplimentaryForm(await c.req.parseBody(), detail.plans);
    if (!form.ok) {
      return readerPage(c, frame, id, { compForm: { values: form.values, errors: form.errors }, notice: { kind: 'error', text: 'No subscription was granted: see the marked fields.' } }, 422);
    }
    try {
      const { site } = frame;
      const mail = createBillingMail({ publicationName: site.publication.name, publicUrl: site.publicUrl, timeZone: site.publication.timeZone });
      const grant = await grantComplimentaryToReader({ ...ctxOf(frame), mail }, { readerId: id, plan: form.value.plan, months: form.value.months });
      return c.redirect(`/admin/readers/${id}?done=${grant.isExtension ? 'comp-extended' : 'comp'}&sub=${grant.subscription.id}`, 303);
    } catch (err) {
      if (!(err instanceof BillingError)) throw err;
      return readerPage(c, frame, id, { compForm: { values: { plan: String(form.value.plan.id), months: String(form.value.months) }, errors: {} }, notice: { kind: 'error', text: err.message } }, 409);
    }
  });

  app.post('/admin/readers/:id{[0-9]+}/subscriptions/:sub{[0-9]+}/cancel', async (c) => {
    const frame = await requireStaff(c, deps, 'readers:manage');
    if (frame instanceof Response) return frame;
    const id = readerId(c);
    if (id === null) return notFound(c, frame);
    const subscriptionId = rowId(c.req.param('sub'));
    if (subscriptionId === null) return readerPage(c, frame, id, { notice: { kind: 'error', text: 'There is no such subscription on this account.' } }, 404);
    const when = parseCancelForm(await c.req.parseBody());
    if (!when) return readerPage(c, frame, id, { notice: { kind: 'error', text: 'Choose whether to cancel at the period end or now.' } }, 422);
    try {
      const sub = await cancelReaderSubscription({ ...ctxOf(frame), billing: deps.billing }, { readerId: id, subscriptionId, when });
      return c.redirect(`/admin/readers/${id}?done=${when === 'now' ? 'ended' : 'canceled'}&sub=${sub.id}`, 303);
    } catch (err) {
      if (!(err instanceof BillingError)) throw err;
      return readerPage(c, frame, id, { notice: { kind: 'error', text: err.message } }, 409);
    }
  });

  app.post('/admin/readers/:id{[0-9]+}/sign-out', async (c) => {
    const frame = await requireStaff(c, deps, 'readers:manage');
    if (frame instanceof Response) return frame;
    const id = readerId(c);
    if (id === null || !(await db.selectFrom('readers').select('id').where('id', '=', id).executeTakeFirst())) return notFound(c, frame);
    const n = await signReaderOutEverywhere(ctxOf(frame), { readerId: id });
    return c.redirect(`/admin/readers/${id}?done=signed-out&n=${n}`, 303);
  });

  /** The sentence for the action just done (from the redirect's query), with its details. */
  async function doneNotice(c: Context, frame: AdminFrame, id: number): Promise<ReaderPageNotice | undefined> {
    const done = c.req.query('done');
    if (!done) return undefined;
    const tz = frame.site.publication.timeZone;
    if (done === 'signed-out') {
      const n = Number(c.req.query('n') ?? 0) || 0;
      return { kind: 'ok', text: `Signed out everywhere: ${n} ${n === 1 ? 'session' : 'sessions'} ended.` };
    }
    const subId = rowId(c.req.query('sub'));
    const sub = subId !== null ? await db.selectFrom('subscriptions').innerJoin('plans', 'plans.id', 'subscriptions.plan_id').select(['plans.name', 'subscriptions.current_period_end']).where('subscriptions.id', '=', subId).where('subscriptions.reader_id', '=', id).executeTakeFirst() : undefined;
    if (!sub) return undefined;
    const until = displayDate(sub.current_period_end, tz);
    switch (done) {
      case 'comp': return { kind: 'ok', text: `Complimentary ${sub.name} subscription granted until ${until}. Nothing was charged.` };
      case 'comp-extended': return { kind: 'ok', text: `Complimentary ${sub.name} subscription extended until ${until}. Nothing was charged.` };
      case 'canceled': return { kind: 'ok', text: `The ${sub.name} subscription is canceled: it will not renew, and access continues until ${until}.` };
      case 'ended': return { kind: 'ok', text: `The ${sub.name} subscription has ended: access stopped now.` };
      default: return undefined;
    }
  }

  app.route('/', staffRoutes(deps));
  return app;
}
