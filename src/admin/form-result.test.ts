import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { fieldErrors, formValues } from './form-result.ts';

describe('fieldErrors', () => {
  it('keeps the first message per field, nested paths joined with dots, whole-form issues under _form', () => {
    const schema = z
      .object({ name: z.string().min(1, 'Give it a name.').max(3, 'Too long.'), variants: z.array(z.object({ weight: z.number('A number.') })) })
      .refine((v) => v.name !== 'bad', 'The form is refused.');
    const r = schema.safeParse({ name: '', variants: [{ weight: 1 }, { weight: 'x' }] });
    assert.ok(!r.success);
    assert.deepEqual(fieldErrors(r.error.issues), { name: 'Give it a name.', 'variants.1.weight': 'A number.' });
    const whole = schema.safeParse({ name: 'bad', variants: [] });
    assert.ok(!whole.success);
    assert.deepEqual(fieldErrors(whole.error.issues), { _form: 'The form is refused.' });
  });

  it('lets the caller name the field that shows a path', () => {
    const issues = [{ path: ['variants', 2, 'name'], message: 'Name it.' }, { path: ['variants', 2, 'body'], message: 'Write it.' }];
    assert.deepEqual(fieldErrors(issues, (p) => p.replace(/^variants\.(\d+)\./, 'v$1-')), { 'v2-name': 'Name it.', 'v2-body': 'Write it.' });
    assert.deepEqual(fieldErrors(issues, (p) => p.split('.')[0]), { variants: 'Name it.' });
  });
});

describe('formValues', () => {
  it('gives every named field as text: first of a repeated one, blank for missing or non-text, at most 500 characters', () => {
    const file = new Blob(['x']);
    assert.deepEqual(formValues({ a: 'one', b: ['two', 'three'], c: file, d: 'x'.repeat(600), extra: 'ignored' }, ['a', 'b', 'c', 'd', 'e'] as const), {
      a: 'one',
      b: 'two',
      c: '',
      d: 'x'.repeat(500),
      e: '',
    });
  });
});
