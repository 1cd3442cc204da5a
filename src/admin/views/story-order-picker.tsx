/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The story picker of the newsroom's ordered selections (a newsletter issue, a Weekly edition):
// the stories in order with Up / Down / Remove, and a search of published stories with Add.
// Every button submits the surrounding form with an `op` (`up:ID`, `down:ID`, `remove:ID`,
// `add:ID`, `auto`, `search`), so it works without the bundled script. The page says what
// the picker holds; the cells showing a story are the page's own.
import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../form-result.ts';
import { FieldError, fieldId, TextField } from './settings-fields.tsx';

export interface StoryOrderPickerProps {
  values: { mode: 'auto' | 'manual'; order: number[]; q: string };
  errors: FieldErrors;
  /** Marks the ordered table for scripts and tests, e.g. `data-issue-stories`. */
  listAttribute: `data-${string}`;
  /** How the automatic selection chooses, shown while the order is automatic. */
  autoHint: string;
  /** Shown when the order is empty. */
  emptyHint: string;
  /** Under the search field. */
  searchHint: string;
  /** Instead of Add for a match already in the order, e.g. "In the issue". */
  inOrderLabel: string;
  /** The headline of a story in the order, for the buttons' accessible names (absent: unknown story). */
  headlineOf: (id: number) => string | undefined;
  /** The `<td>` showing a story of the order. */
  storyCell: (id: number) => Child;
  /** The search's matches, each with its `<td>`. */
  choices: { id: number; headline: string; cell: Child }[];
}

export function StoryOrderPicker(props: StoryOrderPickerProps) {
  const { values, errors } = props;
  const inOrder = new Set(values.order);
  const listMark = { [props.listAttribute]: true };
  return (
    <>
      <fieldset class="choices" id={fieldId('stories')} aria-describedby={errors.stories ? `${fieldId('stories')}-error` : undefined}>
        <legend>Stories, in order</legend>
        <p class="hint">
          {values.mode === 'auto'
            ? props.autoHint
            : <>Arranged by an editor. <button class="btn btn-small btn-quiet" type="submit" name="op" value="auto" data-action="use-automatic">Use the automatic selection</button></>}
        </p>
        <FieldError name="stories" errors={errors} />
        {values.order.length === 0 ? <p class="muted" data-no-stories>{props.emptyHint}</p> : (
          <table class="list" {...listMark}>
            <thead><tr><th scope="col">#</th><th scope="col">Story</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {values.order.map((id, i) => {
                const headline = props.headlineOf(id) ?? `story ${id}`;
                return (
                  <tr data-story-id={String(id)}>
                    <th scope="row">{String(i + 1)}</th>
                    {props.storyCell(id)}
                    <td>
                      <div class="actions" style="flex-wrap:nowrap">
                        {i > 0 ? <button class="btn btn-small btn-quiet" type="submit" name="op" value={`up:${id}`} data-story-action="up">Up<span class="visually-hidden"> “{headline}”</span></button> : null}
                        {i < values.order.length - 1 ? <button class="btn btn-small btn-quiet" type="submit" name="op" value={`down:${id}`} data-story-action="down">Down<span class="visually-hidden"> “{headline}”</span></button> : null}
                        <button class="btn btn-small btn-danger" type="submit" name="op" value={`remove:${id}`} data-story-action="remove">Remove<span class="visually-hidden"> “{headline}”</span></button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </fieldset>

      <section aria-labelledby="add-story-h" id="add-story">
        <h2 id="add-story-h">Add a story</h2>
        <div class="filters">
          <TextField name="q" label="Search published stories" value={values.q} errors={errors} maxLength={100} hint={props.searchHint} />
          <button class="btn btn-quiet" type="submit" name="op" value="search" data-action="search-stories">Search</button>
        </div>
        {props.choices.length === 0 ? <p class="muted">{values.q ? `No published story matches “${values.q}”.` : 'No published stories yet.'}</p> : (
          <table class="list" data-story-choices>
            <thead><tr><th scope="col">Story</th><th scope="col">Add</th></tr></thead>
            <tbody>
              {props.choices.map((s) => (
                <tr data-choice-id={String(s.id)}>
                  {s.cell}
                  <td>
                    {inOrder.has(s.id) ? <span class="muted">{props.inOrderLabel}</span> : (
                      <button class="btn btn-small btn-quiet" type="submit" name="op" value={`add:${s.id}`} data-story-action="add">Add<span class="visually-hidden"> “{s.headline}”</span></button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
