/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// GET/POST /admin/settings (settings:manage): the publication's name, tagline, time zone,
// public address and contact e-mail.
import { Hono } from 'hono';
import type { NewsroomDeps } from '../../deps.ts';
import { requireStaff } from '../../guard.tsx';
import { getPublication } from '../../../content/publication.ts';
import { parsePublicationForm, publicationFormValues, timeZoneChoices } from '../../settings/publication-form.ts';
import { updatePublication } from '../../settings/publication-settings.ts';
import { SettingsPage } from '../../views/settings.tsx';
import { actorOf } from '../../audit.ts';
import { formBody, page } from './render.ts';

export function publicationRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();

  app.get('/admin/settings', async (c) => {
    const frame = await requireStaff(c, deps, 'settings:manage');
    if (frame instanceof Response) return frame;
    const publication = await getPublication(deps.db);
    return page(c, (
      <SettingsPage
        frame={frame}
        values={publicationFormValues(publication)}
        errors={{}}
        timeZones={timeZoneChoices(publication.timeZone)}
        publicUrlOverride={deps.state.publicUrlOverride()}
        isSaved={c.req.query('saved') === '1'}
      />
    ));
  });

  app.post('/admin/settings', async (c) => {
    const frame = await requireStaff(c, deps, 'settings:manage');
    if (frame instanceof Response) return frame;
    const current = await getPublication(deps.db);
    const timeZones = timeZoneChoices(current.timeZone);
    const publicUrlOverride = deps.state.publicUrlOverride();
    const form = parsePublicationForm(await formBody(c), { current, timeZones, isPublicUrlLocked: publicUrlOverride !== null });
    if (!form.ok) {
      return page(c, <SettingsPage frame={frame} values={form.values} errors={form.errors} timeZones={timeZones} publicUrlOverride={publicUrlOverride} isSaved={false} />, 422);
    }
    await updatePublication(deps, actorOf(frame), form.value);
    return c.redirect('/admin/settings?saved=1', 303);
  });

  return app;
}
