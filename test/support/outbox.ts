// Reads what the app "sent": the .eml files in its outbox, parsed by a real MIME parser.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { TestApp } from './app.ts';

export interface SentMail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export async function sentMail(t: TestApp): Promise<SentMail[]> {
  await t.app.runJobs();
  // A send kicked by a request may still be writing its file: wait until nothing is claimed
  // but unfinished (pending after an attempt).
  for (let i = 0; i < 250; i++) {
    const inFlight = await t.app.database.db.selectFrom('mail_outbox').select('id').where('status', '=', 'pending').where('attempts', '>', 0).executeTakeFirst();
    if (!inFlight) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const dir = t.app.outboxDir;
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  const out: SentMail[] = [];
  for (const file of files) {
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, file)));
    const to = Array.isArray(parsed.to) ? parsed.to[0]?.text ?? '' : parsed.to?.text ?? '';
    out.push({ file, to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', parsed });
  }
  return out;
}

/** The first link in a message's text part that starts with `prefix` (an absolute URL prefix). */
export function linkIn(mail: SentMail, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}[^\\s<>"')]*`).exec(mail.text);
  if (!m) throw new Error(`no link starting ${prefix} in "${mail.subject}"`);
  return m[0];
}
