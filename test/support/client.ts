// A reader's browser for HTTP tests: keeps cookies, follows nothing by itself, and fills in
// the CSRF token from the last page it saw — the way a real form post would.
import type { TestApp } from './app.ts';

export class Client {
  readonly cookies = new Map<string, string>();
  lastBody = '';

  constructor(private readonly t: TestApp, private readonly defaults: Record<string, string> = {}) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.defaults)) if (!headers.has(k)) headers.set(k, v);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const target = path.startsWith('http') ? new URL(path).pathname + new URL(path).search : path;
    const res = await this.t.request(target, { ...init, headers, redirect: 'manual' });
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GET, remembering the body (for its CSRF token). */
  async get(path: string, headers?: Record<string, string>): Promise<Response> {
    const res = await this.request(path, { headers });
    this.lastBody = await res.clone().text();
    return res;
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastBody);
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1];
  }

  /** POST a form with the CSRF token of the last page seen (unless one is given). */
  async post(path: string, fields: Record<string, string | string[]> = {}, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    if (!('_csrf' in fields)) body.set('_csrf', this.csrf());
    for (const [k, v] of Object.entries(fields)) for (const item of ([] as string[]).concat(v)) body.append(k, item);
    const res = await this.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: body.toString() });
    this.lastBody = await res.clone().text();
    return res;
  }

  /** GET the page at a redirect's Location. */
  async follow(res: Response): Promise<Response> {
    const location = res.headers.get('location');
    if (!location) throw new Error(`no redirect (status ${res.status})`);
    return this.get(location);
  }
}
