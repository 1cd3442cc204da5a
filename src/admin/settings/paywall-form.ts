// The paywall policy form, as pure functions: the fields for a policy, the policy a posted
// form describes (or why it cannot be), a plain-language summary staff read before saving,
// and the audit line for a change.
import { z } from 'zod';
import type { AccessClass } from '../../db/schema.ts';
import type { MeterPolicy } from '../../paywall/meter-policy.ts';
import { checked, readField, text, wholeNumber, type FieldErrors, type FormBody, type FormResult } from './form.ts';

export const ACCESS_CLASSES = ['free', 'metered', 'subscriber'] as const satisfies readonly AccessClass[];

export const ACCESS_LABELS: Record<AccessClass, string> = {
  free: 'Free (never counted)',
  metered: 'Metered',
  subscriber: 'Subscribers only',
};

/** Bounds the newsroom may set (the store accepts wider ones from other tools). */
export const POLICY_BOUNDS = {
  windowDays: [1, 90],
  anonymousLimit: [0, 100],
  registeredLimit: [0, 200],
  teaserParagraphs: [0, 10],
} as const;

/** The form's fields as text; `sections` maps a top-level section path to its choice ('' = the publication default). */
export interface PaywallFormValues {
  window: string;
  windowDays: string;
  anonymousLimit: string;
  registrationWall: boolean;
  registeredLimit: string;
  teaserParagraphs: string;
  defaultAccess: string;
  sections: Record<string, string>;
}

/** The form field carrying a top-level section's default. */
export const sectionField = (path: string) => `section.${path}`;

export function paywallFormValues(policy: MeterPolicy, topSectionPaths: readonly string[]): PaywallFormValues {
  return {
    window: policy.window.kind,
    windowDays: String(policy.window.kind === 'rolling' ? policy.window.days : 30),
    anonymousLimit: String(policy.anonymousLimit),
    // The wall exists exactly when registering raises the limit (see decideMetered).
    registrationWall: policy.registeredLimit > policy.anonymousLimit,
    registeredLimit: String(policy.registeredLimit),
    teaserParagraphs: String(policy.teaserParagraphs),
    defaultAccess: policy.defaultAccess,
    sections: Object.fromEntries(topSectionPaths.map((p) => [p, policy.sectionDefaults[p] ?? ''])),
  };
}

const accessChoice = (what: string) => z.enum(ACCESS_CLASSES, { error: `choose free, metered or subscribers only for ${what}` });

/**
 * The policy a posted form describes. Defaults of sub-sections (set by other tools) and of
 * sections the form did not show are kept as they are.
 */
export function parsePaywallForm(body: FormBody, opts: { current: MeterPolicy; topSectionPaths: readonly string[] }): FormResult<MeterPolicy, PaywallFormValues> {
  const values: PaywallFormValues = {
    window: text(body, 'window'),
    windowDays: text(body, 'windowDays'),
    anonymousLimit: text(body, 'anonymousLimit'),
    registrationWall: checked(body, 'registrationWall'),
    registeredLimit: text(body, 'registeredLimit'),
    teaserParagraphs: text(body, 'teaserParagraphs'),
    defaultAccess: text(body, 'defaultAccess'),
    sections: Object.fromEntries(opts.topSectionPaths.map((p) => [p, text(body, sectionField(p))])),
  };
  const [dMin, dMax] = POLICY_BOUNDS.windowDays;
  const [aMin, aMax] = POLICY_BOUNDS.anonymousLimit;
  const [rMin, rMax] = POLICY_BOUNDS.registeredLimit;
  const [tMin, tMax] = POLICY_BOUNDS.teaserParagraphs;
  const errors: FieldErrors = {};
  const kind = readField(errors, 'window', z.enum(['calendar-month', 'rolling'], { error: 'choose a calendar month or a rolling number of days' }), values.window, 'calendar-month');
  const window: MeterPolicy['window'] = kind === 'rolling' ? { kind, days: readField(errors, 'windowDays', wholeNumber('the number of days', dMin, dMax), values.windowDays, 30) } : { kind };
  const anonymousLimit = readField(errors, 'anonymousLimit', wholeNumber('the anonymous limit', aMin, aMax), values.anonymousLimit, -1);
  let registeredLimit = anonymousLimit;
  if (values.registrationWall) {
    registeredLimit = readField(errors, 'registeredLimit', wholeNumber('the registered limit', rMin, rMax), values.registeredLimit, -1);
    // Compared only when both limits are numbers (-1 stands in for a refused one).
    if (registeredLimit >= 0 && anonymousLimit >= 0 && registeredLimit <= anonymousLimit) {
      errors.registeredLimit = registeredLimit < anonymousLimit
        ? `readers with a free account must get at least as many stories as anonymous ones (${anonymousLimit})`
        : `the same limit as anonymous readers gives no reason to register: raise it above ${anonymousLimit}, or turn the registration wall off`;
    }
  }
  const teaserParagraphs = readField(errors, 'teaserParagraphs', wholeNumber('the teaser', tMin, tMax), values.teaserParagraphs, 0);
  const defaultAccess = readField(errors, 'defaultAccess', accessChoice('the publication default'), values.defaultAccess, 'metered');
  const sectionDefaults: Record<string, AccessClass> = { ...opts.current.sectionDefaults };
  for (const [path, choice] of Object.entries(values.sections)) {
    delete sectionDefaults[path];
    if (choice !== '') sectionDefaults[path] = readField(errors, sectionField(path), accessChoice(path), choice, 'metered');
  }
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, values, value: { window, anonymousLimit, registeredLimit, teaserParagraphs, defaultAccess, sectionDefaults } };
}

const stories = (n: number) => (n === 1 ? '1 free story' : `${n} free stories`);

function ordinal(n: number): string {
  const words = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
  if (n >= 1 && n <= words.length) return words[n - 1];
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function windowPhrase(window: MeterPolicy['window'], timeZone: string): string {
  if (window.kind === 'calendar-month') return `a calendar month (months begin at midnight, ${timeZone} time)`;
  return window.days === 1 ? 'in any 24 hours' : `in any ${window.days} days`;
}

/**
 * The policy in sentences, for the top of the form: "Anonymous readers get 5 free stories
 * a calendar month…". `sectionNames` maps section paths to the names readers see.
 */
export function summarizePolicy(policy: MeterPolicy, opts: { timeZone: string; sectionNames: ReadonlyMap<string, string> }): string[] {
  const out: string[] = [];
  const { anonymousLimit: anon, registeredLimit: registered } = policy;
  const span = windowPhrase(policy.window, opts.timeZone);
  out.push(anon === 0 ? `Anonymous readers get no free metered stories: every metered story asks them to ${registered > 0 ? 'register' : 'subscribe'}.` : `Anonymous readers get ${stories(anon)} ${span}.`);
  if (registered > anon) {
    out.push(`With a free account they get ${registered}: the ${ordinal(anon + 1)} metered story asks them to register, the ${ordinal(registered + 1)} to subscribe.`);
  } else {
    out.push(`There is no registration wall: a free account adds no stories, and the ${ordinal(anon + 1)} metered story asks readers to subscribe.`);
  }
  out.push(policy.teaserParagraphs === 0 ? 'A locked story shows its headline and no paragraphs, then the offer.' : `A locked story shows its first ${policy.teaserParagraphs === 1 ? 'paragraph' : `${policy.teaserParagraphs} paragraphs`}, then the offer.`);
  const access = (a: AccessClass) => (a === 'subscriber' ? 'for subscribers only' : a);
  const bySection = Object.entries(policy.sectionDefaults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, a]) => `${opts.sectionNames.get(path) ?? path} ${access(a)}`);
  out.push(`New stories are ${access(policy.defaultAccess)}${bySection.length ? ` unless their section says otherwise (${bySection.join(', ')})` : ''}.`);
  out.push('Free stories never count; subscribers, staff and verified search crawlers always read in full.');
  return out;
}

/** "anonymous limit: 5 → 1; window: calendar month → rolling 30 days", or "no change". */
export function describePolicyChange(before: MeterPolicy, after: MeterPolicy): string {
  const win = (w: MeterPolicy['window']) => (w.kind === 'rolling' ? `rolling ${w.days} days` : 'calendar month');
  const pairs: [string, string, string][] = [
    ['window', win(before.window), win(after.window)],
    ['anonymous limit', String(before.anonymousLimit), String(after.anonymousLimit)],
    ['registered limit', String(before.registeredLimit), String(after.registeredLimit)],
    ['teaser paragraphs', String(before.teaserParagraphs), String(after.teaserParagraphs)],
    ['default access', before.defaultAccess, after.defaultAccess],
  ];
  const paths = [...new Set([...Object.keys(before.sectionDefaults), ...Object.keys(after.sectionDefaults)])].sort();
  for (const p of paths) pairs.push([`${p} default`, before.sectionDefaults[p] ?? '(publication default)', after.sectionDefaults[p] ?? '(publication default)']);
  const changed = pairs.filter(([, a, b]) => a !== b).map(([what, a, b]) => `${what}: ${a} → ${b}`);
  return changed.length ? changed.join('; ') : 'no change';
}
