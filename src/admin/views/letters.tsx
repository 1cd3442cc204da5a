/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Letters to readers: the running order with each variant's impressions and clicks, the form
// for one letter (with blank variant rows, so variants are added without a script), and the
// preview: the letter as a reader meets it, inside a sample story on the reader site's page.
import { raw } from 'hono/html';
import type { Letter } from '../../letters/types.ts';
import type { SiteContext } from '../../site/site-context.ts';
import { Layout } from '../../site/views/layout.tsx';
import { AdminCsrf, AdminLayout, type AdminFrame } from '../layout.tsx';
import type { FieldErrors } from '../settings/form.ts';
import { AUDIENCE_LABELS, PLACEMENT_LABELS, variantField, type LetterFormValues } from '../settings/letter-form.ts';
import { clickRate, type LetterTallies, type VariantTally } from '../settings/letter-settings.ts';
import { AUDIENCES, PLACEMENTS } from '../../letters/targeting.ts';
import { Checkbox, ChoiceGroup, ErrorSummary, SavedNotice, TextArea, TextField } from './settings-fields.tsx';

const n = (x: number) => x.toLocaleString('en-US');

const WHERE: Record<Letter['placement'], string> = {
  'after-body': 'after stories',
  locked: 'on locked pages',
  both: 'after stories and on locked pages',
};

interface StatRow {
  variantId: number;
  label: string;
  weight: number | null;
  tally: VariantTally;
}

/** One row per variant (and "as written" when shown so, or when there are no variants), plus removed variants that were counted. */
function statRows(letter: Letter, tallies: LetterTallies): StatRow[] {
  const counted = tallies.get(letter.id) ?? new Map<number, VariantTally>();
  const zero = { impressions: 0, clicks: 0 };
  const rows: StatRow[] = letter.variants.map((v) => ({ variantId: v.id, label: v.name, weight: v.weight, tally: counted.get(v.id) ?? zero }));
  if (letter.variants.length === 0 || counted.has(0)) rows.unshift({ variantId: 0, label: 'As written', weight: null, tally: counted.get(0) ?? zero });
  const known = new Set(rows.map((r) => r.variantId));
  for (const [id, tally] of counted) if (!known.has(id)) rows.push({ variantId: id, label: `Removed variant (#${id})`, weight: null, tally });
  return rows;
}

export function LettersListPage(props: { frame: AdminFrame; letters: Letter[]; tallies: LetterTallies; isSaved: boolean }) {
  const { frame, letters } = props;
  return (
    <AdminLayout frame={frame} title="Letters">
      <div class="page-head">
        <h1>Letters to readers</h1>
        <a class="btn" href="/admin/letters/new" data-action="new-letter">New letter</a>
      </div>
      <SavedNotice isShown={props.isSaved}>Letter saved. Readers' next pages show it where it is aimed.</SavedNotice>
      <p class="hint">A reader sees at most one letter per page: the first active letter, by position, aimed at them and not shown to them within its frequency cap.</p>
      {letters.length === 0 ? (
        <p class="muted">No letters yet. <a href="/admin/letters/new">Write the first one</a>.</p>
      ) : (
        <table class="list settings-table letters-list" data-letters>
          <thead>
            <tr>
              <th scope="col">Letter</th>
              <th scope="col">Aimed at</th>
              <th scope="col">Position</th>
              <th scope="col">Status</th>
              <th scope="col">Variant</th>
              <th scope="col">Weight</th>
              <th scope="col">Impressions</th>
              <th scope="col">Clicks</th>
              <th scope="col">Click rate</th>
            </tr>
          </thead>
          {letters.map((letter) => {
            const rows = statRows(letter, props.tallies);
            return (
              <tbody data-letter-row={letter.id}>
                {rows.map((r, i) => (
                  <tr data-variant-stats={r.variantId} data-impressions={r.tally.impressions} data-clicks={r.tally.clicks}>
                    {i === 0 ? (
                      <>
                        <th scope="rowgroup" rowspan={rows.length}>
                          <a href={`/admin/letters/${letter.id}`}>{letter.title}</a>
                          <br /><span class="muted">{letter.slug}</span>
                          <br /><a class="btn btn-quiet btn-small" href={`/admin/letters/${letter.id}/preview`}>Preview</a>
                        </th>
                        <td rowspan={rows.length}>
                          {letter.audience.join(', ')}
                          <br /><span class="muted">{WHERE[letter.placement]}{letter.sections.length ? `, in ${letter.sections.join(', ')}` : ''}{letter.minRead ? `, once ${letter.minRead} ${letter.minRead === 1 ? 'story is' : 'stories are'} read` : ''}{letter.frequencyDays ? `, at most every ${letter.frequencyDays === 1 ? 'day' : `${letter.frequencyDays} days`}` : ''}</span>
                        </td>
                        <td rowspan={rows.length}>{letter.position}</td>
                        <td rowspan={rows.length}>{letter.isActive ? <span class="status status-published">active</span> : <span class="status status-draft">inactive</span>}</td>
                      </>
                    ) : null}
                    <td>{r.variantId > 0 && letter.variants.some((v) => v.id === r.variantId) ? <a href={`/admin/letters/${letter.id}/preview?variant=${r.variantId}`}>{r.label}</a> : r.label}</td>
                    <td>{r.weight === null ? '–' : n(r.weight)}</td>
                    <td>{n(r.tally.impressions)}</td>
                    <td>{n(r.tally.clicks)}</td>
                    <td>{clickRate(r.tally)}</td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
      )}
    </AdminLayout>
  );
}

export function LetterFormPage(props: { frame: AdminFrame; letter: Letter | null; values: LetterFormValues; errors: FieldErrors; isSaved: boolean }) {
  const { frame, letter, values, errors } = props;
  const action = letter ? `/admin/letters/${letter.id}` : '/admin/letters/new';
  const title = letter ? `Edit letter: ${letter.title}` : 'New letter';
  return (
    <AdminLayout frame={frame} title={title}>
      <div class="page-head">
        <h1>{title}</h1>
        {letter ? <a class="btn btn-quiet" href={`/admin/letters/${letter.id}/preview`} data-action="preview-letter">Preview</a> : null}
      </div>
      <p><a href="/admin/letters">All letters</a></p>
      <SavedNotice isShown={props.isSaved}>Letter saved.</SavedNotice>
      <ErrorSummary errors={errors} />
      <form class="form settings-form letter-form" method="post" action={action} data-form="letter" novalidate>
        <AdminCsrf frame={frame} />
        <h2>The letter</h2>
        <TextField name="title" label="Heading" value={values.title} errors={errors} isRequired maxLength={200} hint="How the letter opens, such as “Dear Reader,”." />
        <TextArea name="bodyMd" label="Body" value={values.bodyMd} errors={errors} rows={12} isRequired hint="Markdown: blank lines between paragraphs, *italic*, **bold**, [links](/subscribe). Pictures are left out." />
        <TextArea name="signature" label="Signature" value={values.signature} errors={errors} rows={2} isRequired hint="The signer on the first line, their role on the second." />
        <div class="grid-2">
          <TextField name="ctaLabel" label="Button label" value={values.ctaLabel} errors={errors} isRequired maxLength={80} />
          <TextField name="ctaUrl" label="Button link" value={values.ctaUrl} errors={errors} isRequired hint="A path on this site such as /subscribe, or an https:// address." />
        </div>

        <h2>Who sees it, and where</h2>
        <ChoiceGroup type="checkbox" name="audience" label="Aimed at" values={values.audience} errors={errors} options={AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))} />
        <div class="grid-2">
          <TextField name="minRead" label="Minimum stories read" type="number" inputMode="numeric" min={0} value={values.minRead} errors={errors} size="small" hint="Shown once the reader has read this many stories in the meter's window; empty = from the first." />
          <TextField name="frequencyDays" label="Frequency cap (days)" type="number" inputMode="numeric" min={0} max={365} value={values.frequencyDays} errors={errors} size="small" hint="At most one showing per reader in this many days; 0 = every page." />
        </div>
        <TextField name="sections" label="Sections" value={values.sections} errors={errors} hint="Section paths, separated by commas (World covers World/Europe); empty = every section." />
        <ChoiceGroup type="radio" name="placement" label="Placement" values={[values.placement]} errors={errors} options={PLACEMENTS.map((p) => ({ value: p, label: PLACEMENT_LABELS[p] }))} />
        <div class="grid-2">
          <TextField name="position" label="Position" type="number" inputMode="numeric" value={values.position} errors={errors} size="small" hint="Lower comes first when several letters are aimed at the same reader." />
          <Checkbox name="isActive" label="Active: readers see it" isChecked={values.isActive} />
        </div>

        <h2>Variants (A/B test)</h2>
        <p class="hint">Each variant may change the heading, the body or the button label; what it leaves empty stays as the letter has it. Readers are split by weight and keep the variant they first got. Fill a blank row to add a variant; a letter with no variants is shown as written.</p>
        {values.variants.map((row, i) => (
          <fieldset class="variant-row" data-variant-row={i} data-variant-id={row.id ?? undefined}>
            <legend>{row.id ? `Variant ${row.name || i + 1}` : `New variant ${i + 1}`}</legend>
            {row.id ? <input type="hidden" name={variantField(i, 'id')} value={String(row.id)} /> : null}
            <div class="grid-2">
              <TextField name={variantField(i, 'name')} label="Name" value={row.name} errors={errors} maxLength={60} hint="Such as A, B or “Shorter heading”." />
              <TextField name={variantField(i, 'weight')} label="Weight" type="number" inputMode="numeric" min={0} value={row.weight} errors={errors} size="small" hint="Its share of readers; 0 pauses it." />
            </div>
            <div class="grid-2">
              <TextField name={variantField(i, 'title')} label="Heading" value={row.title} errors={errors} maxLength={200} />
              <TextField name={variantField(i, 'ctaLabel')} label="Button label" value={row.ctaLabel} errors={errors} maxLength={80} />
            </div>
            <TextArea name={variantField(i, 'bodyMd')} label="Body" value={row.bodyMd} errors={errors} rows={3} hint="Empty keeps the letter's body." />
            {row.id ? <Checkbox name={variantField(i, 'remove')} label="Remove this variant" isChecked={row.isRemoved} /> : null}
          </fieldset>
        ))}
        <div class="actions"><button class="btn" type="submit" data-action="save-letter">{letter ? 'Save letter' : 'Create letter'}</button></div>
      </form>
    </AdminLayout>
  );
}

const SAMPLE_PARAGRAPHS = [
  'HARBOR CITY — The council voted late on Tuesday to keep the old ferry terminal open through the winter, after a session in which more than forty residents spoke, most of them in favor of the crossing that has linked the two banks of the river since 1911.',
  'The decision buys time, not certainty: the terminal’s pilings need repairs the city has not yet priced, and the ferry operator’s contract runs out in March.',
];

/**
 * The letter on a sample story, on the reader site's own page: after the story as a reader
 * within the meter sees it, or on a locked page before the offer (`isLocked`).
 */
export function LetterPreviewPage(props: {
  site: SiteContext;
  letter: Letter;
  variantId: number | null;
  letterHtml: string;
  isLocked: boolean;
  offerHeadline: string | null;
  lockedOfferHtml: string;
}) {
  const { site, letter } = props;
  const here = (q: { variant?: number | null; locked?: boolean }) => {
    const params = new URLSearchParams();
    const variant = q.variant === undefined ? props.variantId : q.variant;
    if (variant) params.set('variant', String(variant));
    if (q.locked ?? props.isLocked) params.set('on', 'locked');
    const s = params.toString();
    return `/admin/letters/${letter.id}/preview${s ? `?${s}` : ''}`;
  };
  const shown = props.variantId === null ? 'as written' : `variant ${letter.variants.find((v) => v.id === props.variantId)?.name ?? ''}`;
  return (
    <Layout site={site} meta={{ title: `Preview of a letter: ${letter.title}`, description: 'A preview for the newsroom.', isNoindex: true }}>
      <div class="notice letter-preview-bar" role="note" data-letter-preview={letter.id} data-preview-variant={props.variantId ?? 0}>
        <p><strong>Preview</strong> of “{letter.title}”, {shown}, {props.isLocked ? 'on a locked page' : 'after a story'}.{letter.isActive ? '' : ' This letter is inactive: readers do not see it.'}</p>
        <p>
          Show: <a href={here({ variant: null })} aria-current={props.variantId === null ? 'page' : undefined}>as written</a>
          {letter.variants.map((v) => (
            <> · <a href={here({ variant: v.id })} aria-current={props.variantId === v.id ? 'page' : undefined} data-preview-link={v.id}>variant {v.name}</a></>
          ))}
          {' '}— <a href={here({ locked: !props.isLocked })}>{props.isLocked ? 'after a story' : 'on a locked page'}</a>
          {' '}— <a href={`/admin/letters/${letter.id}`}>back to the letter</a>
        </p>
        {props.offerHeadline ? null : <p>There is no active offer, so the button shows no offer headline.</p>}
      </div>
      <article class="article" data-access={props.isLocked ? 'locked' : 'metered'}>
        <header class="article-head">
          <span class="kicker">Sample</span>
          <h1>Council keeps the ferry running through the winter</h1>
          <p class="dek">A sample story, so the letter can be seen where readers meet it.</p>
        </header>
        <div class="body">
          {(props.isLocked ? SAMPLE_PARAGRAPHS.slice(0, 1) : SAMPLE_PARAGRAPHS).map((p) => <p>{p}</p>)}
          {raw(props.letterHtml)}
          {props.isLocked ? raw(props.lockedOfferHtml) : null}
        </div>
      </article>
    </Layout>
  );
}
