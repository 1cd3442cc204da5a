/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Publication settings: the name and tagline on every page, the time zone dates are shown
// and URLs are dated in, the public address, and the newsroom's contact address.
import { AdminCsrf, AdminLayout, type AdminFrame } from '../layout.tsx';
import type { FieldErrors } from '../settings/form.ts';
import type { PublicationFormValues } from '../settings/publication-form.ts';
import { ErrorSummary, SavedNotice, SelectField, TextField } from './settings-fields.tsx';

export function SettingsPage(props: {
  frame: AdminFrame;
  values: PublicationFormValues;
  errors: FieldErrors;
  timeZones: readonly string[];
  /** PUBLIC_URL from the environment, when it decides the address. */
  publicUrlOverride: string | null;
  isSaved: boolean;
}) {
  const { frame, values, errors } = props;
  return (
    <AdminLayout frame={frame} title="Settings">
      <div class="page-head"><h1>Publication settings</h1></div>
      <SavedNotice isShown={props.isSaved}>Settings saved. Reader pages show them now.</SavedNotice>
      <ErrorSummary errors={errors} labels={{ name: 'Name', tagline: 'Tagline', timeZone: 'Time zone', publicUrl: 'Public address', contactEmail: 'Contact e-mail' }} />
      <form class="form settings-form" method="post" action="/admin/settings" data-form="settings" novalidate>
        <AdminCsrf frame={frame} />
        <TextField name="name" label="Name" value={values.name} errors={errors} isRequired maxLength={120} hint="The nameplate on every page, and the sender of e-mails." />
        <TextField name="tagline" label="Tagline" value={values.tagline} errors={errors} maxLength={200} hint="A line under the nameplate and in search results; may be left empty." />
        <SelectField
          name="timeZone"
          label="Time zone"
          value={values.timeZone}
          errors={errors}
          options={props.timeZones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
          hint="Dates on pages, dates in story URLs and the paywall's calendar month follow it. Changing it does not move published stories' URLs."
        />
        {props.publicUrlOverride ? (
          <div class="field" data-public-url-locked>
            <label for="f-publicUrl">Public address</label>
            <span class="hint" id="f-publicUrl-hint">Set by the <code>PUBLIC_URL</code> environment variable, which wins over this setting. Change it where the service is deployed.</span>
            <input type="url" id="f-publicUrl" value={props.publicUrlOverride} readonly aria-describedby="f-publicUrl-hint" />
          </div>
        ) : (
          <TextField
            name="publicUrl"
            label="Public address"
            type="url"
            value={values.publicUrl}
            errors={errors}
            inputMode="url"
            placeholder="https://news.example.com"
            hint="The https address readers use; feeds, e-mails, QR codes and canonical links are built on it. Leave empty to use the server's own address."
          />
        )}
        <TextField name="contactEmail" label="Contact e-mail" type="email" value={values.contactEmail} errors={errors} inputMode="email" maxLength={254} hint="Where readers write to the newsroom; may be left empty." />
        <div class="actions"><button class="btn" type="submit" data-action="save-settings">Save settings</button></div>
      </form>
    </AdminLayout>
  );
}

/** A settings page for something that does not exist (a deleted letter, a mistyped id). */
export function SettingsNotFound(props: { frame: AdminFrame; what: string; back: { href: string; label: string } }) {
  return (
    <AdminLayout frame={props.frame} title="Not found">
      <h1>Not found</h1>
      <p>There is no such {props.what}.</p>
      <p><a href={props.back.href}>{props.back.label}</a></p>
    </AdminLayout>
  );
}
