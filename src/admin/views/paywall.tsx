/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The paywall policy: the meter's window and limits, the registration wall, the teaser, and
// which stories are metered by default — with the saved policy spelled out in sentences.
import { AdminCsrf, AdminLayout, type AdminFrame } from '../layout.tsx';
import type { FieldErrors } from '../settings/form.ts';
import { ACCESS_CLASSES, ACCESS_LABELS, POLICY_BOUNDS, sectionField, type PaywallFormValues } from '../settings/paywall-form.ts';
import { ChoiceGroup, Checkbox, ErrorSummary, FieldError, SavedNotice, SelectField, TextField, fieldId } from './settings-fields.tsx';

export function PaywallPage(props: {
  frame: AdminFrame;
  values: PaywallFormValues;
  errors: FieldErrors;
  /** The saved policy in sentences. */
  summary: string[];
  sections: readonly { path: string; name: string }[];
  /** Defaults of sub-sections, set elsewhere and kept as they are. */
  otherDefaults: readonly { path: string; access: string }[];
  isSaved: boolean;
}) {
  const { frame, values, errors } = props;
  const [dMin, dMax] = POLICY_BOUNDS.windowDays;
  const [aMin, aMax] = POLICY_BOUNDS.anonymousLimit;
  const [rMin, rMax] = POLICY_BOUNDS.registeredLimit;
  const [tMin, tMax] = POLICY_BOUNDS.teaserParagraphs;
  const sectionOptions = [{ value: '', label: 'As the publication default' }, ...ACCESS_CLASSES.map((a) => ({ value: a, label: ACCESS_LABELS[a] }))];
  return (
    <AdminLayout frame={frame} title="Paywall">
      <div class="page-head"><h1>Paywall</h1></div>
      <SavedNotice isShown={props.isSaved}>Paywall saved. Readers' next pages follow it.</SavedNotice>
      <section class="card policy-summary" aria-labelledby="policy-summary-h" data-policy-summary>
        <h2 id="policy-summary-h">The paywall now</h2>
        {props.summary.map((s) => <p>{s}</p>)}
      </section>
      <ErrorSummary errors={errors} />
      <form class="form settings-form" method="post" action="/admin/paywall" data-form="paywall" novalidate>
        <AdminCsrf frame={frame} />
        <h2>The meter</h2>
        <ChoiceGroup
          type="radio"
          name="window"
          label="Free stories are counted over"
          values={[values.window]}
          errors={errors}
          options={[
            { value: 'calendar-month', label: <>a calendar month, starting at midnight on the 1st in the publication's time zone ({frame.site.publication.timeZone})</> },
            { value: 'rolling', label: 'a rolling number of days (the last N days from each view)' },
          ]}
        />
        <TextField name="windowDays" label="Days in a rolling window" type="number" inputMode="numeric" min={dMin} max={dMax} value={values.windowDays} errors={errors} size="small" hint={`${dMin} to ${dMax}; used only with a rolling window.`} />
        <TextField name="anonymousLimit" label="Free stories for anonymous readers" type="number" inputMode="numeric" min={aMin} max={aMax} value={values.anonymousLimit} errors={errors} size="small" hint={`${aMin} to ${aMax} metered stories per window. 0 locks every metered story.`} />
        <Checkbox name="registrationWall" label="Registration wall: at the limit, ask anonymous readers to create a free account, which gives them more" isChecked={values.registrationWall} />
        <TextField name="registeredLimit" label="Free stories for registered readers" type="number" inputMode="numeric" min={rMin} max={rMax} value={values.registeredLimit} errors={errors} size="small" hint="With the registration wall on: more than the anonymous limit. With it off, registered readers get the anonymous limit." />
        <TextField name="teaserParagraphs" label="Paragraphs a locked story shows" type="number" inputMode="numeric" min={tMin} max={tMax} value={values.teaserParagraphs} errors={errors} size="small" hint={`${tMin} to ${tMax}; the offer follows them.`} />

        <h2>Default access for new stories</h2>
        <p class="hint">A story gets its section's default when it is created without one; a writer or editor can still change it. Changing a default does not change stories already published.</p>
        <SelectField name="defaultAccess" label="Publication default" value={values.defaultAccess} errors={errors} options={ACCESS_CLASSES.map((a) => ({ value: a, label: ACCESS_LABELS[a] }))} />
        {props.sections.length ? (
          <table class="list settings-table section-defaults" data-section-defaults>
            <caption class="visually-hidden">Default access per section</caption>
            <thead><tr><th scope="col">Section</th><th scope="col">Default access</th></tr></thead>
            <tbody>
              {props.sections.map((s) => {
                const name = sectionField(s.path);
                const id = fieldId(name);
                return (
                  <tr data-section={s.path}>
                    <th scope="row"><label for={id}>{s.name}</label></th>
                    <td>
                      <select name={name} id={id} aria-invalid={errors[name] ? 'true' : undefined} aria-describedby={errors[name] ? `${id}-error` : undefined}>
                        {sectionOptions.map((o) => <option value={o.value} selected={o.value === (values.sections[s.path] ?? '')}>{o.label}</option>)}
                      </select>
                      <FieldError name={name} errors={errors} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : <p class="muted">There are no sections yet.</p>}
        {props.otherDefaults.length ? (
          <p class="hint">Sub-section defaults set elsewhere are kept: {props.otherDefaults.map((d) => `${d.path} (${d.access})`).join(', ')}.</p>
        ) : null}
        <div class="actions"><button class="btn" type="submit" data-action="save-paywall">Save the paywall</button></div>
      </form>
    </AdminLayout>
  );
}
