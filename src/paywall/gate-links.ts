// Links that open the gate: a subscriber's gift link (anyone opening it reads that article
// in full for 14 days without it counting), the QR code on a subscriber's print-out, and a
// newsletter's per-recipient link (7 days). Tokens are signed, scoped to one article and
// expiring; gift and print links are also rows, so they can be revoked and counted.
import crypto from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';

export type GateKind = 'gift' | 'print' | 'newsletter';

const DAY = 86_400_000;
export const GATE_TTL_MS: Record<GateKind, number> = { gift: 14 * DAY, print: 30 * DAY, newsletter: 7 * DAY };
export const GIFT_LINKS_PER_MONTH = 10;

interface GatePayload {
  k: GateKind;
  a: number;
  /** Expiry, seconds since the epoch. */
  e: number;
  /** The row id (gift, print) or the recipient's key (newsletter). */
  i: string;
}

function mac(body: string, secret: string): string {
  return crypto.createHmac('sha256', `gate:${secret}`).update(body).digest('base64url').slice(0, 32);
}

export function signGateToken(p: GatePayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(p)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

/** The payload of a genuine token, or null for anything altered, malformed or unsigned. */
export function readGateToken(token: string | undefined | null, secret: string): GatePayload | null {
  if (!token || token.length > 400) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(body, secret));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as GatePayload;
    if (!['gift', 'print', 'newsletter'].includes(p.k) || !Number.isInteger(p.a) || !Number.isInteger(p.e) || typeof p.i !== 'string') return null;
    return p;
  } catch {
    return null;
  }
}

export type GiftLinkResult = { ok: true; token: string; remaining: number } | { ok: false; reason: 'gift-limit-reached' };

/** A subscriber shares an article: at most GIFT_LINKS_PER_MONTH links in 30 days. */
export async function issueGiftLink(db: Db, opts: { readerId: number; articleId: number; now: number; secret: string }): Promise<GiftLinkResult> {
  return db.transaction().execute(async (tx) => {
    const used = await tx
      .selectFrom('gate_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('issuer_reader_id', '=', opts.readerId)
      .where('kind', '=', 'gift')
      .where('created_at', '>', opts.now - 30 * DAY)
      .executeTakeFirstOrThrow();
    if (Number(used.n) >= GIFT_LINKS_PER_MONTH) return { ok: false, reason: 'gift-limit-reached' } as const;
    const token = await insertLink(tx, 'gift', opts);
    return { ok: true, token, remaining: GIFT_LINKS_PER_MONTH - Number(used.n) - 1 } as const;
  });
}

/** The QR code on an entitled reader's print-out: whoever scans it reads that story. */
export function issuePrintLink(db: Db, opts: { readerId: number | null; articleId: number; now: number; secret: string }): Promise<string> {
  return insertLink(db, 'print', opts);
}

async function insertLink(db: Db | Tx, kind: 'gift' | 'print', opts: { readerId: number | null; articleId: number; now: number; secret: string }): Promise<string> {
  const id = crypto.randomBytes(12).toString('base64url');
  const expiresAt = opts.now + GATE_TTL_MS[kind];
  await db.insertInto('gate_links').values({ id, kind, article_id: opts.articleId, issuer_reader_id: opts.readerId, created_at: opts.now, expires_at: expiresAt, revoked_at: null }).execute();
  return signGateToken({ k: kind, a: opts.articleId, e: Math.floor(expiresAt / 1000), i: id }, opts.secret);
}

/** A newsletter link for one recipient and article (the Daily writes these). */
export function newsletterToken(opts: { recipientKey: string; articleId: number; now: number; secret: string }): string {
  return signGateToken({ k: 'newsletter', a: opts.articleId, e: Math.floor((opts.now + GATE_TTL_MS.newsletter) / 1000), i: opts.recipientKey }, opts.secret);
}

export async function revokeGateLink(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('gate_links').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Which gate a token opens for this article now, if any. */
export async function checkGate(db: Db, token: string | undefined | null, opts: { articleId: number; now: number; secret: string }): Promise<GateKind | null> {
  const p = readGateToken(token, opts.secret);
  if (!p || p.a !== opts.articleId || p.e * 1000 <= opts.now) return null;
  if (p.k === 'newsletter') return 'newsletter';
  const row = await db.selectFrom('gate_links').select(['kind', 'article_id', 'expires_at', 'revoked_at']).where('id', '=', p.i).executeTakeFirst();
  if (!row || row.kind !== p.k || row.article_id !== opts.articleId || row.revoked_at !== null || row.expires_at <= opts.now) return null;
  return p.k;
}
