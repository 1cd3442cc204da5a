/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// GET/POST /admin/paywall (paywall:manage): the meter policy, summed up in sentences at the top.
import { Hono } from 'hono';
import type { NewsroomDeps } from '../../deps.ts';
import type { AdminFrame } from '../../layout.tsx';
import { requireStaff } from '../../guard.tsx';
import type { MeterPolicy } from '../../../paywall/meter-policy.ts';
import { getPolicy } from '../../../paywall/policy-store.ts';
import type { FieldErrors } from '../../settings/form.ts';
import { paywallFormValues, parsePaywallForm, summarizePolicy, type PaywallFormValues } from '../../settings/paywall-form.ts';
import { updatePolicy } from '../../settings/paywall-settings.ts';
import { PaywallPage } from '../../views/paywall.tsx';
import { actorOf } from '../../audit.ts';
import { formBody, page } from './render.ts';

export function paywallRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();

  function view(frame: AdminFrame, policy: MeterPolicy, form: { values: PaywallFormValues; errors: FieldErrors } | null, isSaved: boolean) {
    const { site } = frame;
    const top = site.topSections.map((s) => ({ path: s.path, name: s.name }));
    const topPaths = new Set(top.map((s) => s.path));
    return (
      <PaywallPage
        frame={frame}
        values={form?.values ?? paywallFormValues(policy, [...topPaths])}
        errors={form?.errors ?? {}}
        summary={summarizePolicy(policy, { timeZone: site.publication.timeZone, sectionNames: new Map(site.sections.map((s) => [s.path, s.name])) })}
        sections={top}
        otherDefaults={Object.entries(policy.sectionDefaults).filter(([p]) => !topPaths.has(p)).map(([path, access]) => ({ path, access }))}
        isSaved={isSaved}
      />
    );
  }

  app.get('/admin/paywall', async (c) => {
    const frame = await requireStaff(c, deps, 'paywall:manage');
    if (frame instanceof Response) return frame;
    return page(c, view(frame, await getPolicy(deps.db), null, c.req.query('saved') === '1'));
  });

  app.post('/admin/paywall', async (c) => {
    const frame = await requireStaff(c, deps, 'paywall:manage');
    if (frame instanceof Response) return frame;
    const current = await getPolicy(deps.db);
    const form = parsePaywallForm(await formBody(c), { current, topSectionPaths: frame.site.topSections.map((s) => s.path) });
    if (!form.ok) return page(c, view(frame, current, form, false), 422);
    await updatePolicy(deps, actorOf(frame), form.value);
    return c.redirect('/admin/paywall?saved=1', 303);
  });

  return app;
}
