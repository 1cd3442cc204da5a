// Generated, rights-free pictures for the demo publication: layered flat-colour scenes in the
// manner of editorial illustration. Each is an SVG built from a seeded PRNG, so a seed always
// yields the same bytes (stable demo content and stable content-hashed media ids), then
// rasterised by sharp. No text, fonts or external resources, so rendering is fast and hermetic.

import { stableHash } from '../shared/stable-hash.ts';
import sharp from 'sharp';

export const SCENES = [
  'city',
  'harbor',
  'mountains',
  'fields',
  'forest',
  'sea',
  'desert',
  'snow',
  'space',
  'river',
  'night-city',
  'abstract',
] as const;
export type Scene = (typeof SCENES)[number];

export const PALETTES = ['dawn', 'day', 'dusk', 'night', 'storm', 'autumn'] as const;
export type Palette = (typeof PALETTES)[number];

export async function renderIllustration(opts: {
  scene: Scene;
  palette: Palette;
  seed: string;
  width?: number;
  height?: number;
}): Promise<Buffer> {
  const svg = illustrationSvg(opts);
  return sharp(Buffer.from(svg)).jpeg({ quality: 82, progressive: true }).toBuffer();
}

/** The SVG source of an illustration; renderIllustration rasterises exactly this. */
export function illustrationSvg(opts: { scene: Scene; palette: Palette; seed: string; width?: number; height?: number }): string {
  const W = opts.width ?? 1600;
  const H = opts.height ?? 1000;
  for (const [name, v] of [['width', W], ['height', H]] as const) {
    if (!Number.isInteger(v) || v < 16 || v > 6000) throw new RangeError(`${name} must be an integer from 16 to 6000, got ${v}`);
  }
  if (!SCENES.includes(opts.scene)) throw new RangeError(`unknown scene ${String(opts.scene)}`);
  if (!PALETTES.includes(opts.palette)) throw new RangeError(`unknown palette ${String(opts.palette)}`);

  let p = PALETTE_COLOURS[opts.palette];
  if (opts.scene === 'night-city') p = nightify(p);
  const ctx: Ctx = {
    W,
    H,
    k: Math.sqrt((W * H) / (1600 * 1000)),
    rng: new Rng(`${opts.scene}|${opts.palette}|${opts.seed}`),
    p,
    defs: [],
    out: [],
    ids: 0,
  };
  DRAW[opts.scene](ctx);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<defs>${ctx.defs.join('')}</defs>${ctx.out.join('')}</svg>`
  );
}

// ---------------------------------------------------------------------------------------------
// Palettes. A palette is the light of the picture: sky, celestial body, the haze distant things
// fade into, the ink near things darken towards, and a tint cast over every material.

interface Pal {
  /** Sky from zenith through the middle to the horizon. */
  sky: [string, string, string];
  body: 'sun' | 'moon' | 'none';
  bodyColour: string;
  glow: string;
  /** Height of the sun or moon, as a fraction of the horizon height. */
  bodyY: number;
  haze: string;
  ink: string;
  tint: string;
  tintAmt: number;
  /** How strongly near layers darken, and far layers fade into haze. */
  inkAmt: number;
  fog: number;
  accent: string;
  accent2: string;
  /** Lit windows and lamps, and the share of windows that are lit. */
  light: string;
  lit: number;
  stars: number;
  clouds: number;
  cloud: string;
  cloudShade: string;
  water: string;
  foliage: string[];
  grass: string;
  rain: boolean;
}

const PALETTE_COLOURS: Record<Palette, Pal> = {
  dawn: {
    sky: ['#5a6aa8', '#c99bb4', '#ffd2a6'],
    body: 'sun',
    bodyColour: '#fff3da',
    glow: '#ffe0b0',
    bodyY: 0.78,
    haze: '#f0bfae',
    ink: '#2b2a4a',
    tint: '#e7a195',
    tintAmt: 0.22,
    inkAmt: 0.5,
    fog: 0.85,
    accent: '#e8735f',
    accent2: '#f2b860',
    light: '#ffe3a6',
    lit: 0.12,
    stars: 0.15,
    clouds: 0.6,
    cloud: '#ffe3d2',
    cloudShade: '#e3a9a6',
    water: '#6f86b5',
    foliage: ['#3f5f5a', '#4d6e5d', '#587a63'],
    grass: '#7f9a6a',
    rain: false,
  },
  day: {
    sky: ['#3d8bd0', '#7dbbe6', '#d8eef6'],
    body: 'sun',
    bodyColour: '#fffbea',
    glow: '#fff4c8',
    bodyY: 0.3,
    haze: '#c4e0ec',
    ink: '#17324a',
    tint: '#ffffff',
    tintAmt: 0,
    inkAmt: 0.45,
    fog: 0.8,
    accent: '#f05d3b',
    accent2: '#f6b830',
    light: '#fff6d0',
    lit: 0,
    stars: 0,
    clouds: 0.7,
    cloud: '#ffffff',
    cloudShade: '#c9dff0',
    water: '#2f7fb3',
    foliage: ['#2f6b4f', '#3e7d52', '#4f8f58'],
    grass: '#7cb35b',
    rain: false,
  },
  dusk: {
    sky: ['#27295a', '#a24a7a', '#f7a05e'],
    body: 'sun',
    bodyColour: '#ffd884',
    glow: '#ffb870',
    bodyY: 0.86,
    haze: '#d47a75',
    ink: '#1a1533',
    tint: '#9a4a70',
    tintAmt: 0.3,
    inkAmt: 0.6,
    fog: 0.85,
    accent: '#ffb347',
    accent2: '#ff6f61',
    light: '#ffd27a',
    lit: 0.3,
    stars: 0.25,
    clouds: 0.55,
    cloud: '#f6a37c',
    cloudShade: '#b55a78',
    water: '#5a4a8a',
    foliage: ['#3b2f52', '#4a3a5c', '#5a4560'],
    grass: '#6a5a6a',
    rain: false,
  },
  night: {
    sky: ['#060a1e', '#14204a', '#2d3f73'],
    body: 'moon',
    bodyColour: '#f3ecd4',
    glow: '#9fb0e0',
    bodyY: 0.3,
    haze: '#2c3b68',
    ink: '#04060f',
    tint: '#1c2a5a',
    tintAmt: 0.62,
    inkAmt: 0.55,
    fog: 0.8,
    accent: '#f2c14e',
    accent2: '#e86a5a',
    light: '#ffd47a',
    lit: 0.42,
    stars: 1,
    clouds: 0.3,
    cloud: '#3a4a7c',
    cloudShade: '#243160',
    water: '#1e3a6a',
    foliage: ['#13243a', '#172c44', '#1c334c'],
    grass: '#22384a',
    rain: false,
  },
  storm: {
    sky: ['#2e3642', '#566170', '#9aa4ad'],
    body: 'none',
    bodyColour: '#e8e8e0',
    glow: '#c8ccd0',
    bodyY: 0.4,
    haze: '#7f8993',
    ink: '#161c23',
    tint: '#4f5b68',
    tintAmt: 0.38,
    inkAmt: 0.55,
    fog: 0.8,
    accent: '#e2c15a',
    accent2: '#c8553d',
    light: '#f3e3a0',
    lit: 0.25,
    stars: 0,
    clouds: 1,
    cloud: '#6c7784',
    cloudShade: '#3c4552',
    water: '#3f5566',
    foliage: ['#24352f', '#2d4038', '#364a40'],
    grass: '#55695a',
    rain: true,
  },
  autumn: {
    sky: ['#5f92b5', '#b3c8c4', '#f4d7a4'],
    body: 'sun',
    bodyColour: '#fff2cc',
    glow: '#ffe1a6',
    bodyY: 0.55,
    haze: '#e6c79e',
    ink: '#33201a',
    tint: '#d9822b',
    tintAmt: 0.2,
    inkAmt: 0.5,
    fog: 0.8,
    accent: '#c9502a',
    accent2: '#e9a03b',
    light: '#ffe0a0',
    lit: 0.08,
    stars: 0,
    clouds: 0.5,
    cloud: '#fff4e0',
    cloudShade: '#e2c2a0',
    water: '#4f7f92',
    foliage: ['#b5462a', '#d9792b', '#e8a53a', '#8a3b26', '#5d6b35'],
    grass: '#b59a4a',
    rain: false,
  },
};

/** The palette after dark: its hues survive as tints, the sky goes to night and windows light up. */
function nightify(p: Pal): Pal {
  const n = PALETTE_COLOURS.night;
  if (p === n) return { ...n, lit: 0.55 };
  return {
    ...n,
    sky: [mix(p.sky[0], n.sky[0], 0.8), mix(p.sky[1], n.sky[1], 0.72), mix(p.sky[2], n.sky[2], 0.6)],
    haze: mix(p.haze, n.haze, 0.7),
    tint: mix(p.tint, n.tint, 0.6),
    accent: p.accent,
    accent2: p.accent2,
    cloud: mix(p.cloud, n.cloud, 0.75),
    cloudShade: mix(p.cloudShade, n.cloudShade, 0.75),
    clouds: p.clouds * 0.6,
    stars: p.rain ? 0 : 0.8,
    body: p.rain ? 'none' : 'moon',
    rain: p.rain,
    lit: 0.55,
  };
}

/** Base colours of materials, before light, tint and distance are applied. */
const MAT = {
  building: '#5d6b82',
  rock: '#6f7487',
  sand: '#e2ae6c',
  snow: '#f4f7fb',
  concrete: '#8a8f98',
  hull: '#2d3a4a',
  earth: '#8a6a4a',
};

// ---------------------------------------------------------------------------------------------
// Small utilities: PRNG, colour and SVG path helpers.

class Rng {
  private s: number;

  constructor(seed: string) {
    this.s = stableHash(seed);
  }

  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  int(a: number, b: number): number {
    return Math.floor(this.range(a, b + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Ctx {
  W: number;
  H: number;
  /** Scale of sizes relative to the 1600×1000 design size. */
  k: number;
  rng: Rng;
  p: Pal;
  defs: string[];
  out: string[];
  ids: number;
}

type Pt = [number, number];

function uid(ctx: Ctx, prefix: string): string {
  return `${prefix}${ctx.ids++}`;
}

/** Numbers in the SVG are rounded to a tenth: smaller markup, and identical across platforms. */
function n(v: number): string {
  const r = Math.round(v * 10) / 10;
  return r === 0 ? '0' : String(r);
}

function rgb(c: string): [number, number, number] {
  const v = parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  const c = (i: number) => Math.round(Math.max(0, Math.min(255, x[i] + (y[i] - x[i]) * t)));
  return `#${((1 << 24) | (c(0) << 16) | (c(1) << 8) | c(2)).toString(16).slice(1)}`;
}

/** A material's colour at a depth: 0 is the foreground (towards ink), 1 the far distance (into haze). */
function tone(p: Pal, base: string, depth: number): string {
  let c = mix(base, p.tint, p.tintAmt);
  c = mix(c, p.ink, (1 - depth) * (1 - depth) * p.inkAmt);
  return mix(c, p.haze, Math.min(1, depth * p.fog));
}

function poly(pts: Pt[]): string {
  let d = '';
  for (let i = 0; i < pts.length; i++) d += `${i === 0 ? 'M' : 'L'}${n(pts[i][0])} ${n(pts[i][1])}`;
  return `${d}Z`;
}

/** A smooth path through points (Catmull-Rom as cubic Béziers), open at the end. */
function smooth(pts: Pt[]): string {
  let d = `M${n(pts[0][0])} ${n(pts[0][1])}`;
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)];
    const p1 = pts[i];
    const p2 = pts[i + 1];
    const p3 = pts[Math.min(pts.length - 1, i + 2)];
    d +=
      `C${n(p1[0] + (p2[0] - p0[0]) / 6)} ${n(p1[1] + (p2[1] - p0[1]) / 6)} ` +
      `${n(p2[0] - (p3[0] - p1[0]) / 6)} ${n(p2[1] - (p3[1] - p1[1]) / 6)} ${n(p2[0])} ${n(p2[1])}`;
  }
  return d;
}

/** A clockwise rectangle subpath; everything in one fill shares a winding so overlaps union. */
function rect(x: number, y: number, w: number, h: number): string {
  return `M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}Z`;
}

/** A clockwise circle subpath. */
function circ(cx: number, cy: number, r: number): string {
  return `M${n(cx - r)} ${n(cy)}a${n(r)} ${n(r)} 0 1 1 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 1 ${n(-2 * r)} 0Z`;
}

function path(ctx: Ctx, d: string, fill: string, extra = ''): void {
  if (d) ctx.out.push(`<path d="${d}" fill="${fill}"${extra}/>`);
}

function linear(ctx: Ctx, stops: [number, string, number?][], x1: number, y1: number, x2: number, y2: number): string {
  const id = uid(ctx, 'g');
  const s = stops
    .map(([o, c, a]) => `<stop offset="${n(o * 100)}%" stop-color="${c}"${a === undefined ? '' : ` stop-opacity="${a}"`}/>`)
    .join('');
  ctx.defs.push(
    `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}">${s}</linearGradient>`,
  );
  return `url(#${id})`;
}

function radial(ctx: Ctx, stops: [number, string, number?][], cx: number, cy: number, r: number): string {
  const id = uid(ctx, 'g');
  const s = stops
    .map(([o, c, a]) => `<stop offset="${n(o * 100)}%" stop-color="${c}"${a === undefined ? '' : ` stop-opacity="${a}"`}/>`)
    .join('');
  ctx.defs.push(`<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}">${s}</radialGradient>`);
  return `url(#${id})`;
}

function clip(ctx: Ctx, d: string): string {
  const id = uid(ctx, 'c');
  ctx.defs.push(`<clipPath id="${id}"><path d="${d}"/></clipPath>`);
  return ` clip-path="url(#${id})"`;
}

/** Midpoint displacement: 2^levels + 1 heights in roughly [-1, 1], jagged as roughness rises. */
function ridgeNoise(rng: Rng, levels: number, roughness: number): number[] {
  const size = 2 ** levels;
  const h = new Array<number>(size + 1).fill(0);
  h[0] = rng.range(-0.5, 0.5);
  h[size] = rng.range(-0.5, 0.5);
  let amp = 1;
  for (let step = size; step > 1; step /= 2) {
    for (let i = step / 2; i < size; i += step) h[i] = (h[i - step / 2] + h[i + step / 2]) / 2 + rng.range(-amp, amp);
    amp *= roughness;
  }
  return h;
}

/** A gently rolling line: a few sine waves with random phases, sampled across the width. */
function rolling(ctx: Ctx, base: number, amp: number, waves: number, samples = 48): Pt[] {
  const { rng, W } = ctx;
  const comps = [1, 2.3, 4.1].map((f, i) => ({ f: f * waves, ph: rng.range(0, Math.PI * 2), a: amp / (i + 1) }));
  const pts: Pt[] = [];
  for (let i = 0; i <= samples; i++) {
    const x = (i / samples) * (W + 40) - 20;
    let y = base;
    for (const c of comps) y += Math.sin((x / W) * Math.PI * 2 * c.f + c.ph) * c.a;
    pts.push([x, y]);
  }
  return pts;
}

function yAt(pts: Pt[], x: number): number {
  for (let i = 1; i < pts.length; i++) {
    if (pts[i][0] >= x) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0 || 1);
    }
  }
  return pts[pts.length - 1][1];
}

/** A band filled from a (smooth) top line down to the bottom of the picture. */
function band(ctx: Ctx, top: Pt[], bottom = ctx.H + 2): string {
  const first = top[0];
  const last = top[top.length - 1];
  return `${smooth(top)}L${n(last[0])} ${n(bottom)}L${n(first[0])} ${n(bottom)}Z`;
}

// ---------------------------------------------------------------------------------------------
// Shared elements: sky, sun and moon, stars, clouds, weather, birds, trees.

function sky(ctx: Ctx, hz: number): void {
  const { W, H, p } = ctx;
  const fill = linear(ctx, [[0, p.sky[0]], [0.58, p.sky[1]], [1, p.sky[2]]], 0, 0, 0, hz);
  ctx.out.push(`<rect width="${W}" height="${H}" fill="${fill}"/>`);
}

function stars(ctx: Ctx, bottom: number, amount: number): void {
  const { W, rng, k } = ctx;
  const count = Math.round(amount * 160 * (W / 1600) * (bottom / 600));
  let faint = '';
  let bright = '';
  for (let i = 0; i < count; i++) {
    const x = rng.range(0, W);
    // Denser towards the zenith, thinning into the horizon glow.
    const y = bottom * rng.next() ** 1.6;
    if (rng.chance(0.12)) bright += circ(x, y, rng.range(1.2, 2) * k);
    else faint += circ(x, y, rng.range(0.5, 1.2) * k);
  }
  path(ctx, faint, '#ffffff', ' fill-opacity="0.55"');
  path(ctx, bright, '#fffbe8', ' fill-opacity="0.9"');
}

/** Sun or moon with its glow; returns where it is (radius 0 if the palette has none). */
function celestial(ctx: Ctx, hz: number, opts: { x?: number; r?: number; y?: number } = {}): { x: number; y: number; r: number } {
  const { W, rng, p, k } = ctx;
  const x = opts.x ?? rng.range(0.18, 0.82) * W;
  const r = opts.r ?? rng.range(50, 75) * k * (p.body === 'moon' ? 0.8 : 1);
  const y = opts.y ?? hz * p.bodyY + rng.range(-0.04, 0.04) * hz;
  if (p.body === 'none') {
    // Behind storm cloud: only a pale brightening where the sun would be.
    ctx.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 5)}" fill="${radial(ctx, [[0, p.glow, 0.35], [1, p.glow, 0]], x, y, r * 5)}"/>`);
    return { x, y, r: 0 };
  }
  ctx.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 7)}" fill="${radial(ctx, [[0, p.glow, 0.6], [0.35, p.glow, 0.18], [1, p.glow, 0]], x, y, r * 7)}"/>`);
  ctx.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 1.45)}" fill="${p.bodyColour}" fill-opacity="0.16"/>`);
  ctx.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${p.bodyColour}"/>`);
  if (p.body === 'moon') {
    let craters = '';
    for (let i = 0; i < 5; i++) {
      const a = rng.range(0, Math.PI * 2);
      const d = rng.range(0, 0.6) * r;
      craters += circ(x + Math.cos(a) * d, y + Math.sin(a) * d, rng.range(0.06, 0.16) * r);
    }
    path(ctx, craters, mix(p.bodyColour, p.sky[1], 0.25), ' fill-opacity="0.25"');
  }
  return { x, y, r };
}

/** A flat-bottomed cumulus: a row of round puffs on a base, light on top with a shaded underside. */
function cloudPath(cx: number, cy: number, w: number, rng: Rng): string {
  const b = w * rng.range(0.1, 0.14);
  let d = circ(cx - w / 2 + b / 2, cy - b / 2, b / 2) + circ(cx + w / 2 - b / 2, cy - b / 2, b / 2) + rect(cx - w / 2 + b / 2, cy - b, w - b, b);
  const puffs = rng.int(3, 5);
  for (let i = 0; i < puffs; i++) {
    const t = (i + 0.5) / puffs;
    const mid = 1 - Math.abs(t - 0.5) * 1.4;
    const r = w * rng.range(0.1, 0.16) * (0.6 + mid);
    const px = cx - w / 2 + b + t * (w - 2 * b);
    d += circ(px, cy - r, r);
  }
  return d;
}

function clouds(ctx: Ctx, top: number, bottom: number, amount: number, scale = 1): void {
  const { W, rng, p, k } = ctx;
  const count = Math.round(amount * rng.range(2, 5));
  let shade = '';
  let lit = '';
  for (let i = 0; i < count; i++) {
    const w = rng.range(150, 330) * k * scale;
    const cx = ((i + rng.range(0.1, 0.9)) / count) * (W + w) - w / 2;
    const cy = rng.range(top, bottom);
    const seed = rng.next();
    shade += cloudPath(cx, cy, w, new Rng(String(seed)));
    lit += cloudPath(cx, cy - w * 0.035, w * 0.985, new Rng(String(seed)));
  }
  path(ctx, shade, p.cloudShade);
  path(ctx, lit, p.cloud);
}

/** Heavy, layered storm cloud banks across the top of the sky. */
function stormBanks(ctx: Ctx, bottom: number): void {
  const { p } = ctx;
  for (let i = 0; i < 3; i++) {
    const base = bottom * (0.35 + i * 0.22);
    const pts = rolling(ctx, base, bottom * 0.06, 3 + i, 64).map(([x, y]): Pt => [x, y]);
    // The cloud hangs from the top: fill from its wavy lower edge up to the top of the picture.
    const d = `${smooth(pts)}L${n(ctx.W + 20)} -2L-20 -2Z`;
    path(ctx, d, mix(p.cloudShade, p.sky[0], 0.35 - i * 0.15), i === 0 ? '' : ` fill-opacity="${0.55 - i * 0.12}"`);
  }
}

function rain(ctx: Ctx): void {
  const { W, H, rng, k } = ctx;
  let d = '';
  const slant = rng.range(-0.25, -0.1);
  for (let i = 0; i < 260 * (W / 1600); i++) {
    const x = rng.range(-50, W + 50);
    const y = rng.range(-20, H);
    const len = rng.range(18, 40) * k;
    d += `M${n(x)} ${n(y)}l${n(len * slant)} ${n(len)}`;
  }
  ctx.out.push(`<path d="${d}" stroke="#dfe8f0" stroke-opacity="0.3" stroke-width="${n(1.4 * k)}" stroke-linecap="round"/>`);
}

function birds(ctx: Ctx, x: number, y: number, count: number, size: number): void {
  const { rng, p, k } = ctx;
  let d = '';
  for (let i = 0; i < count; i++) {
    const s = size * rng.range(0.6, 1.1);
    const bx = x + rng.range(-4, 4) * size;
    const by = y + rng.range(-2, 2) * size;
    const lift = s * rng.range(0.35, 0.6);
    d += `M${n(bx - s)} ${n(by - lift)}Q${n(bx - s * 0.45)} ${n(by - lift * 1.1)} ${n(bx)} ${n(by)}Q${n(bx + s * 0.45)} ${n(by - lift * 1.1)} ${n(bx + s)} ${n(by - lift)}`;
  }
  ctx.out.push(`<path d="${d}" fill="none" stroke="${mix(p.ink, p.sky[1], 0.25)}" stroke-width="${n(2.2 * k)}" stroke-linecap="round" stroke-linejoin="round"/>`);
}

/** A layered conifer, as one closed subpath. */
function conifer(x: number, base: number, h: number, w: number, tiers = 3): string {
  const trunkH = h * 0.1;
  const top = base - h;
  const tw = Math.max(0.5, w * 0.06);
  const right: Pt[] = [];
  for (let i = 1; i <= tiers; i++) {
    const y = top + ((h - trunkH) * i) / tiers;
    const half = (w / 2) * (0.45 + (0.55 * i) / tiers);
    right.push([x + half, y]);
    // Step back in under the next tier.
    if (i < tiers) right.push([x + half * 0.45, y]);
  }
  const left = right.map(([px, py]): Pt => [2 * x - px, py]).reverse();
  return poly([[x, top], ...right, [x + tw, base - trunkH], [x + tw, base], [x - tw, base], [x - tw, base - trunkH], ...left]);
}

/** A round-crowned deciduous tree: trunk path and crown path, returned separately so they can be coloured. */
function roundTree(x: number, base: number, h: number, rng: Rng): { trunk: string; crown: string } {
  const r = h * rng.range(0.28, 0.36);
  const cy = base - h + r;
  const tw = Math.max(1, h * 0.05);
  let crown = circ(x, cy, r);
  crown += circ(x - r * 0.55, cy + r * 0.3, r * 0.7) + circ(x + r * 0.55, cy + r * 0.25, r * 0.72);
  return { trunk: rect(x - tw / 2, cy, tw, base - cy), crown };
}

/** A tall narrow poplar. */
function poplar(x: number, base: number, h: number): string {
  const w = h * 0.22;
  return `M${n(x)} ${n(base - h)}C${n(x + w * 0.75)} ${n(base - h * 0.7)} ${n(x + w * 0.6)} ${n(base - h * 0.15)} ${n(x)} ${n(base)}C${n(x - w * 0.6)} ${n(base - h * 0.15)} ${n(x - w * 0.75)} ${n(base - h * 0.7)} ${n(x)} ${n(base - h)}Z`;
}

/** Mountain range: a jagged ridge with light and shadow faces, and optional snow caps. */
function range(
  ctx: Ctx,
  o: { base: number; top: number; depth: number; rough: number; snow?: number; colour?: string; facets?: boolean },
): Pt[] {
  const { W, H, rng, p } = ctx;
  // Broad peaks from a coarse pass, roughened with a finer one so the ridge is not too regular.
  const coarse = ridgeNoise(rng, 4, o.rough);
  const fine = ridgeNoise(rng, 7, 0.6);
  const noise = fine.map((v, i) => {
    const at = (i / (fine.length - 1)) * (coarse.length - 1);
    const a = Math.floor(at);
    const b = Math.min(coarse.length - 1, a + 1);
    return coarse[a] + (coarse[b] - coarse[a]) * (at - a) + v * 0.12;
  });
  const lo = Math.min(...noise);
  const hi = Math.max(...noise);
  const pts: Pt[] = noise.map((v, i) => [(i / (noise.length - 1)) * (W + 40) - 20, o.base - ((v - lo) / (hi - lo || 1)) * (o.base - o.top)]);
  const fill = o.colour ?? tone(p, MAT.rock, o.depth);
  const shape = `${poly([...pts, [W + 20, H + 2], [-20, H + 2]])}`;
  path(ctx, shape, fill);

  // Shadow faces, lit from the upper left: each peak's right-hand slope down to the next valley,
  // bounded below by a spine running from the peak to the foot of the range.
  const span = 6;
  const peaks: number[] = [];
  for (let i = 1; i < pts.length - 1; i++) {
    let top = true;
    for (let j = Math.max(0, i - span); j <= Math.min(pts.length - 1, i + span); j++) if (pts[j][1] < pts[i][1]) top = false;
    if (top) peaks.push(i);
  }
  let shade = '';
  for (let q = 0; q < (o.facets === false ? 0 : peaks.length); q++) {
    const i = peaks[q];
    const end = q + 1 < peaks.length ? peaks[q + 1] : pts.length - 1;
    let j = i + 1;
    for (let m = i + 1; m <= end; m++) if (pts[m][1] > pts[j][1]) j = m;
    const [px, py] = pts[i];
    const [vx, vy] = pts[j];
    const spineFoot = px + (o.base - py) * rng.range(0.15, 0.45);
    const valleyFoot = Math.max(spineFoot, vx - (o.base - vy) * 0.4);
    shade += poly([...pts.slice(i, j + 1), [valleyFoot, o.base + 1], [spineFoot, o.base + 1], [px + (spineFoot - px) * 0.45, py + (o.base - py) * 0.5]]);
  }
  if (shade) path(ctx, shade, mix(fill, mix(p.ink, p.sky[0], 0.4), 0.22), clip(ctx, shape));

  if (o.snow !== undefined) {
    // Snow follows the ridge down to a ragged snow line.
    const line = o.top + (o.base - o.top) * o.snow;
    const wob = ridgeNoise(rng, 7, 0.7);
    const snowY = (i: number) => line + wob[i] * (o.base - o.top) * 0.08;
    const top: Pt[] = pts.map(([x, y], i) => [x, Math.min(y, snowY(i))]);
    const bottom: Pt[] = pts.map(([x], i): Pt => [x, snowY(i)]).reverse();
    const snowColour = tone(p, MAT.snow, o.depth * 0.7);
    path(ctx, poly([...top, ...bottom]), snowColour);
    path(ctx, shade, mix(snowColour, p.sky[0], 0.28), clip(ctx, poly([...top, ...bottom])));
  }
  return pts;
}

/** Ground that recedes: a vertical gradient from the far tone at the horizon to the near tone. */
function ground(ctx: Ctx, hz: number, material: string): void {
  const { W, H, p } = ctx;
  ctx.out.push(`<rect y="${n(hz)}" width="${W}" height="${n(H - hz)}" fill="${linear(ctx, [[0, tone(p, material, 0.8)], [1, tone(p, material, 0.1)]], 0, hz, 0, H)}"/>`);
}

/** Mist lying over the lower part of a layer, so the next layer stands out against it. */
function mist(ctx: Ctx, top: number, bottom: number, strength: number): void {
  const { W, p } = ctx;
  ctx.out.push(
    `<rect y="${n(top)}" width="${W}" height="${n(bottom - top)}" fill="${linear(ctx, [[0, p.haze, 0], [1, p.haze, strength]], 0, top, 0, bottom)}"/>`,
  );
}

function weather(ctx: Ctx): void {
  if (ctx.p.rain) rain(ctx);
}

function skyAndLights(
  ctx: Ctx,
  hz: number,
  opts: { body?: { x?: number; y?: number; r?: number }; cloudScale?: number; cloudBand?: [number, number] } = {},
) {
  const { p } = ctx;
  sky(ctx, hz);
  if (p.stars > 0) stars(ctx, hz * 0.85, p.stars);
  const body = celestial(ctx, hz, opts.body);
  const [top, bottom] = opts.cloudBand ?? [0.15, 0.7];
  if (p.rain) stormBanks(ctx, hz * 0.7);
  else clouds(ctx, hz * top, hz * bottom, p.clouds, opts.cloudScale);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Scenes.

interface SkylineOpts {
  base: number;
  minH: number;
  maxH: number;
  minW: number;
  maxW: number;
  depth: number;
  windows: 'none' | 'lit' | 'all';
  cell: number;
  colour?: string;
}

function skyline(ctx: Ctx, o: SkylineOpts): void {
  const { W, rng, p, k } = ctx;
  const body = o.colour ?? tone(p, MAT.building, o.depth);
  const glass = p.lit > 0.2 ? mix(body, p.ink, 0.25) : mix(body, p.sky[1], 0.3);
  let d = '';
  let lit = '';
  let dark = '';
  let x = -rng.range(0, o.maxW * 0.7);
  while (x < W) {
    const w = rng.range(o.minW, o.maxW);
    const h = rng.range(o.minH, o.maxH) * (rng.chance(0.12) ? 1.35 : 1);
    const top = o.base - h;
    d += rect(x, top, w, h + 2);
    const roof = rng.next();
    if (roof < 0.2) {
      d += rect(x + w * 0.15, top - h * 0.1, w * 0.7, h * 0.1 + 1);
      if (rng.chance(0.5)) d += rect(x + w * 0.3, top - h * 0.18, w * 0.4, h * 0.08 + 1);
    } else if (roof < 0.3) {
      d += `M${n(x + w * 0.2)} ${n(top + 1)}L${n(x + w / 2)} ${n(top - h * 0.28)}L${n(x + w * 0.8)} ${n(top + 1)}Z`;
    } else if (roof < 0.42) {
      d += rect(x + w * 0.5 - 1.2 * k, top - h * 0.22, 2.4 * k, h * 0.22 + 1);
    } else if (roof < 0.48) {
      d += `M${n(x + w * 0.1)} ${n(top + 1)}A${n(w * 0.4)} ${n(w * 0.4)} 0 0 1 ${n(x + w * 0.9)} ${n(top + 1)}Z`;
    } else if (roof < 0.56) {
      const tw = w * 0.22;
      const tx = x + w * rng.range(0.15, 0.6);
      d += rect(tx, top - tw * 1.5, tw, tw) + rect(tx + tw * 0.1, top - tw * 0.5, tw * 0.08, tw * 0.5) + rect(tx + tw * 0.82, top - tw * 0.5, tw * 0.08, tw * 0.5);
    }
    if (o.windows !== 'none') {
      const style = rng.pick(['grid', 'grid', 'grid', 'bands', 'columns'] as const);
      const cw = o.cell * rng.range(0.85, 1.2);
      const ch = cw * rng.range(1.3, 1.7);
      const margin = Math.max(cw * 0.6, w * 0.08);
      const cols = Math.max(1, Math.floor((w - 2 * margin) / cw));
      const rows = Math.floor((h - margin * 1.5) / ch);
      const ox = x + (w - cols * cw) / 2 + cw * 0.22;
      const litShare = p.lit * rng.range(0.5, 1.5);
      for (let r = 0; r < rows; r++) {
        const wy = top + margin + r * ch;
        if (style === 'bands') {
          const on = rng.chance(litShare);
          if (on || o.windows === 'all') {
            const s = rect(x + margin * 0.7, wy, w - margin * 1.4, ch * 0.38);
            if (on) lit += s;
            else dark += s;
          }
          continue;
        }
        for (let c = 0; c < cols; c++) {
          const on = rng.chance(litShare);
          if (!on && o.windows !== 'all') continue;
          const s = style === 'columns' ? rect(ox + c * cw, wy, cw * 0.3, ch * 0.92) : rect(ox + c * cw, wy, cw * 0.56, ch * 0.5);
          if (on) lit += s;
          else dark += s;
        }
      }
    }
    x += w + rng.range(-w * 0.25, w * 0.08);
  }
  path(ctx, d, body);
  path(ctx, dark, glass);
  path(ctx, lit, p.light);
}

function drawCity(ctx: Ctx): void {
  const { W, H, p, k, rng } = ctx;
  const hz = H * 0.74;
  // Clouds stay above the towers: half-hidden ones read as objects, not weather.
  skyAndLights(ctx, hz, { body: { y: hz * Math.min(p.bodyY, 0.3) }, cloudBand: [0.08, 0.22] });
  if (p.lit > 0.2) {
    // City glow on the underside of the sky.
    ctx.out.push(`<rect y="${n(hz * 0.5)}" width="${W}" height="${n(hz * 0.5)}" fill="${linear(ctx, [[0, p.accent, 0], [1, p.accent, 0.22]], 0, hz * 0.5, 0, hz)}"/>`);
  }
  skyline(ctx, { base: hz, minH: H * 0.16, maxH: H * 0.42, minW: 40 * k, maxW: 100 * k, depth: 0.85, windows: p.lit > 0 ? 'lit' : 'none', cell: 7 * k });
  mist(ctx, hz - H * 0.2, hz, 0.35);
  skyline(ctx, { base: hz + H * 0.04, minH: H * 0.12, maxH: H * 0.34, minW: 60 * k, maxW: 140 * k, depth: 0.5, windows: 'all', cell: 11 * k });
  skyline(ctx, { base: H * 0.92, minH: H * 0.1, maxH: H * 0.32, minW: 110 * k, maxW: 230 * k, depth: 0.12, windows: 'all', cell: 17 * k });
  // Street, with a row of trees and lamps.
  const street = tone(p, MAT.concrete, 0);
  ctx.out.push(`<rect y="${n(H * 0.915)}" width="${W}" height="${n(H * 0.09)}" fill="${street}"/>`);
  let trunks = '';
  let crowns = '';
  let lamps = '';
  let glows = '';
  for (let x = rng.range(20, 80) * k; x < W; x += rng.range(110, 190) * k) {
    if (rng.chance(0.65)) {
      const t = roundTree(x, H * 0.93, rng.range(70, 110) * k, rng);
      trunks += t.trunk;
      crowns += t.crown;
    } else {
      const lh = rng.range(80, 100) * k;
      lamps += rect(x - 2 * k, H * 0.93 - lh, 4 * k, lh) + rect(x - 2 * k, H * 0.93 - lh, 18 * k, 4 * k);
      glows += circ(x + 14 * k, H * 0.93 - lh + 8 * k, 9 * k);
    }
  }
  path(ctx, trunks, mix(street, p.ink, 0.5));
  path(ctx, crowns, tone(p, p.foliage[0], 0.05));
  path(ctx, lamps, mix(street, p.ink, 0.5));
  if (p.lit > 0.2) path(ctx, glows, p.light, ' fill-opacity="0.85"');
  weather(ctx);
}

function drawHarbor(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.6;
  const sun = skyAndLights(ctx, hz);
  range(ctx, { base: hz, top: hz - H * 0.14, depth: 0.95, rough: 0.45 });
  skyline(ctx, { base: hz + 2, minH: H * 0.04, maxH: H * 0.14, minW: 25 * k, maxW: 60 * k, depth: 0.8, windows: p.lit > 0 ? 'lit' : 'none', cell: 5 * k });

  // Water from the horizon to the foreground.
  const water = linear(ctx, [[0, mix(p.sky[2], p.water, 0.35)], [0.4, tone(p, p.water, 0.5)], [1, tone(p, p.water, 0)]], 0, hz, 0, H);
  ctx.out.push(`<rect y="${n(hz)}" width="${W}" height="${n(H - hz)}" fill="${water}"/>`);
  if (sun.r > 0) glitter(ctx, sun.x, hz, H, sun.r, p.bodyColour);

  // Quay across the middle distance, with container stacks and cranes.
  const quay = hz + H * 0.12;
  const concrete = tone(p, MAT.concrete, 0.45);
  const boxes = [p.accent, p.accent2, '#3f7d8c', '#2f4d6b', '#8a8f98', '#b5523b'].map((c) => tone(p, c, 0.42));
  const stacks: Record<string, string> = {};
  const bw = 34 * k;
  const bh = 14 * k;
  for (let x = -10; x < W; x += bw * rng.int(4, 9) + rng.range(20, 80) * k) {
    const cols = rng.int(3, 8);
    for (let c = 0; c < cols; c++) {
      const tiers = rng.int(1, 4);
      for (let t = 0; t < tiers; t++) {
        const col = rng.pick(boxes);
        stacks[col] = (stacks[col] ?? '') + rect(x + c * bw, quay - H * 0.02 - (t + 1) * bh, bw - 1.5 * k, bh - 1.5 * k);
      }
    }
  }
  const craneColour = tone(p, rng.pick([p.accent, '#d64532', '#e0a030', '#3d7ea6']), 0.35);
  const cranes: string[] = [];
  const craneCount = rng.int(2, 4);
  const left = rng.range(0.05, 0.2) * W;
  for (let i = 0; i < craneCount; i++) cranes.push(crane(ctx, left + i * rng.range(0.2, 0.26) * W, quay - H * 0.02, rng.range(0.3, 0.37) * H));
  for (const [c, d] of Object.entries(stacks)) path(ctx, d, c);
  ctx.out.push(`<path d="${cranes.join('')}" fill="none" stroke="${craneColour}" stroke-width="${n(4.5 * k)}" stroke-linejoin="round"/>`);
  path(ctx, rect(-10, quay - H * 0.02, W + 20, H * 0.028), concrete);
  path(ctx, rect(-10, quay + H * 0.006, W + 20, H * 0.006), mix(concrete, p.ink, 0.3));

  // A container ship at the quay, in front of the cranes.
  const sx = rng.range(0.1, 0.45) * W;
  ship(ctx, sx, quay + H * 0.05, rng.range(0.42, 0.52) * W, boxes);

  // Reflections and ripples in the near water.
  let ripples = '';
  for (let i = 0; i < 70; i++) {
    const y = quay + H * 0.07 + (H - quay) * rng.next() ** 1.3;
    const len = rng.range(20, 90) * k * (0.6 + (y - quay) / (H - quay));
    ripples += rect(rng.range(-20, W), y, len, 2 * k);
  }
  path(ctx, ripples, mix(tone(p, p.water, 0.2), p.sky[2], 0.35), ' fill-opacity="0.7"');

  // Small boats in the foreground.
  for (let i = 0; i < rng.int(1, 2); i++) sailboat(ctx, rng.range(0.1, 0.9) * W, H * rng.range(0.84, 0.93), rng.range(70, 110) * k, 0.05);
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.3, 0.55), rng.int(3, 6), 10 * k);
  weather(ctx);
}

/** Ship-to-shore gantry crane in side view, as a stroked path. */
function crane(ctx: Ctx, x: number, base: number, h: number): string {
  const { k } = ctx;
  const span = h * 0.32;
  const deck = base - h * 0.62;
  const boomY = base - h * 0.78;
  const apex = base - h;
  const reachL = h * 0.75;
  const reachR = h * 0.3;
  let d = '';
  // Legs and portal.
  d += `M${n(x)} ${n(base)}L${n(x)} ${n(boomY)}M${n(x + span)} ${n(base)}L${n(x + span)} ${n(boomY)}`;
  d += `M${n(x)} ${n(deck)}L${n(x + span)} ${n(deck)}M${n(x)} ${n(base - h * 0.3)}L${n(x + span)} ${n(base - h * 0.3)}`;
  d += `M${n(x)} ${n(base - h * 0.3)}L${n(x + span)} ${n(deck)}M${n(x + span)} ${n(base - h * 0.3)}L${n(x)} ${n(deck)}`;
  // Boom, A-frame and stays.
  d += `M${n(x - reachL)} ${n(boomY)}L${n(x + span + reachR)} ${n(boomY)}`;
  d += `M${n(x)} ${n(boomY)}L${n(x + span * 0.3)} ${n(apex)}L${n(x + span)} ${n(boomY)}`;
  d += `M${n(x + span * 0.3)} ${n(apex)}L${n(x - reachL * 0.95)} ${n(boomY)}M${n(x + span * 0.3)} ${n(apex)}L${n(x - reachL * 0.5)} ${n(boomY)}`;
  d += `M${n(x + span * 0.3)} ${n(apex)}L${n(x + span + reachR)} ${n(boomY)}`;
  // Trolley and hoist line.
  const tx = x - reachL * ctx.rng.range(0.3, 0.8);
  d += `M${n(tx - 8 * k)} ${n(boomY + 5 * k)}L${n(tx + 8 * k)} ${n(boomY + 5 * k)}M${n(tx)} ${n(boomY)}L${n(tx)} ${n(boomY + h * ctx.rng.range(0.15, 0.4))}`;
  return d;
}

function ship(ctx: Ctx, x: number, waterline: number, len: number, boxes: string[]): void {
  const { p, k, rng } = ctx;
  const hh = len * 0.075;
  const hull = tone(p, MAT.hull, 0.3);
  const boot = tone(p, '#a8432f', 0.3);
  const hullD = `M${n(x)} ${n(waterline - hh)}L${n(x + len)} ${n(waterline - hh * 1.25)}L${n(x + len * 0.95)} ${n(waterline)}L${n(x + len * 0.03)} ${n(waterline)}Z`;
  // Containers on deck.
  const stacks: Record<string, string> = {};
  const bw = len * 0.045;
  const bh = hh * 0.42;
  for (let c = 0; c < 15; c++) {
    const tiers = rng.int(2, 4);
    for (let t = 0; t < tiers; t++) {
      const col = rng.pick(boxes);
      stacks[col] = (stacks[col] ?? '') + rect(x + len * 0.2 + c * bw, waterline - hh - (t + 1) * bh, bw - 1.2 * k, bh - 1.2 * k);
    }
  }
  for (const [c, d] of Object.entries(stacks)) path(ctx, d, c);
  // Bridge house at the stern.
  const bx = x + len * 0.04;
  const bridgeColour = tone(p, '#e9e6df', 0.35);
  path(ctx, rect(bx, waterline - hh - hh * 2.4, len * 0.11, hh * 2.4 + 2) + rect(bx + len * 0.07, waterline - hh * 4, len * 0.02, hh * 0.8), bridgeColour);
  let win = '';
  for (let r = 0; r < 4; r++) win += rect(bx + len * 0.008, waterline - hh * 3.2 + r * hh * 0.55, len * 0.094, hh * 0.18);
  path(ctx, win, p.lit > 0.2 ? p.light : mix(bridgeColour, p.ink, 0.5));
  path(ctx, hullD, hull);
  path(ctx, rect(x + len * 0.03, waterline - hh * 0.28, len * 0.92, hh * 0.28), boot);
  // Its reflection, broken into strips.
  let refl = '';
  for (let i = 0; i < 7; i++) {
    const y = waterline + i * hh * 0.5;
    refl += rect(x + len * (0.03 + rng.range(0, 0.05)), y, len * (0.9 - i * 0.08) * rng.range(0.8, 1), hh * 0.22);
  }
  path(ctx, refl, hull, ' fill-opacity="0.35"');
}

function sailboat(ctx: Ctx, x: number, waterline: number, size: number, depth: number): void {
  const { p, rng } = ctx;
  const hull = `M${n(x - size * 0.5)} ${n(waterline - size * 0.12)}L${n(x + size * 0.55)} ${n(waterline - size * 0.12)}L${n(x + size * 0.38)} ${n(waterline)}L${n(x - size * 0.4)} ${n(waterline)}Z`;
  const mast = x + size * 0.02;
  const sailH = size * rng.range(0.95, 1.2);
  const main = `M${n(mast + size * 0.03)} ${n(waterline - size * 0.17 - sailH)}L${n(mast + size * 0.03)} ${n(waterline - size * 0.17)}L${n(mast + size * 0.45)} ${n(waterline - size * 0.17)}Z`;
  const jib = `M${n(mast - size * 0.02)} ${n(waterline - size * 0.22 - sailH * 0.85)}L${n(mast - size * 0.02)} ${n(waterline - size * 0.19)}L${n(mast - size * 0.42)} ${n(waterline - size * 0.19)}Z`;
  const sail = tone(p, '#f6f1e6', depth + 0.2);
  path(ctx, main, sail);
  path(ctx, jib, mix(sail, p.accent2, 0.35));
  path(ctx, hull, tone(p, rng.pick([p.accent, '#2d3a4a', '#f2efe8']), depth));
  path(ctx, rect(x - size * 0.38, waterline + size * 0.02, size * 0.75, size * 0.03), tone(p, MAT.hull, depth), ' fill-opacity="0.35"');
}

/** The path of sunlight on water: short bright strokes, widening and spreading towards the viewer. */
function glitter(ctx: Ctx, x: number, hz: number, bottom: number, r: number, colour: string): void {
  const { rng, k } = ctx;
  let d = '';
  for (let i = 0; i < 46; i++) {
    const t = (i + rng.next()) / 46;
    const y = hz + 2 + (bottom - hz) * t ** 1.5;
    const spread = r * (0.8 + t * 2.2);
    const len = rng.range(0.3, 1.1) * spread;
    d += rect(x + rng.range(-spread, spread) - len / 2, y, len, (1.4 + t * 3.5) * k);
  }
  path(ctx, d, colour, ' fill-opacity="0.55"');
}

function drawMountains(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.74;
  skyAndLights(ctx, hz * 0.8);
  range(ctx, { base: hz, top: H * rng.range(0.14, 0.24), depth: 0.92, rough: 0.55, snow: 0.32 });
  mist(ctx, hz - H * 0.3, hz, 0.4);
  range(ctx, { base: hz + H * 0.02, top: H * rng.range(0.3, 0.38), depth: 0.68, rough: 0.52, snow: rng.chance(0.5) ? 0.18 : undefined });
  mist(ctx, hz - H * 0.2, hz + H * 0.02, 0.35);
  range(ctx, { base: hz + H * 0.05, top: H * rng.range(0.48, 0.56), depth: 0.42, rough: 0.5 });
  mist(ctx, hz - H * 0.1, hz + H * 0.06, 0.3);

  const lake = rng.chance(0.5);
  if (lake) {
    // A still lake reflecting the sky, between the ranges and the near shore.
    const lakeTop = hz + H * 0.04;
    ctx.out.push(`<rect y="${n(lakeTop)}" width="${W}" height="${n(H - lakeTop)}" fill="${linear(ctx, [[0, mix(p.sky[2], p.water, 0.25)], [1, tone(p, p.water, 0.3)]], 0, lakeTop, 0, H)}"/>`);
    let lines = '';
    for (let i = 0; i < 30; i++) lines += rect(rng.range(0, W), lakeTop + rng.range(0.01, 0.2) * H, rng.range(40, 160) * k, 1.6 * k);
    path(ctx, lines, p.sky[2], ' fill-opacity="0.5"');
  }
  // Near hills with forest.
  const hill = rolling(ctx, H * (lake ? 0.9 : 0.84), H * 0.04, 0.8);
  const near = tone(p, p.foliage[0], 0.12);
  path(ctx, band(ctx, hill), near);
  let trees = '';
  for (let x = -10; x < W + 10; x += rng.range(8, 22) * k) {
    const h = rng.range(40, 90) * k;
    trees += conifer(x, yAt(hill, x) + 6 * k, h, h * 0.42);
  }
  path(ctx, trees, near);
  const front = rolling(ctx, H * 0.95, H * 0.03, 0.6);
  const fore = tone(p, p.foliage[0], 0);
  path(ctx, band(ctx, front), fore);
  trees = '';
  for (let x = rng.range(-40, 40); x < W + 40; x += rng.range(60, 260) * k) {
    const h = rng.range(120, 220) * k;
    trees += conifer(x, yAt(front, x) + 10 * k, h, h * 0.4, 4);
  }
  path(ctx, trees, fore);
  birds(ctx, rng.range(0.2, 0.8) * W, H * rng.range(0.2, 0.35), rng.int(2, 4), 9 * k);
  weather(ctx);
}

function drawFields(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.5;
  skyAndLights(ctx, hz);
  range(ctx, { base: hz + H * 0.02, top: hz - H * 0.1, depth: 0.9, rough: 0.4, colour: tone(p, p.foliage[0], 0.92), facets: false });

  const crops = [p.grass, '#c9a640', '#a3b04e', '#d9b860', '#7e9b4a', '#b98a3e', '#8fae5a'];
  const bases = [hz + H * 0.02, hz + H * 0.09, hz + H * 0.2, hz + H * 0.36];
  for (let i = 0; i < bases.length; i++) {
    const depth = 0.75 - i * 0.22;
    const top = rolling(ctx, bases[i], H * (0.012 + i * 0.012), 0.6 + rng.range(0, 0.5));
    const shape = band(ctx, top);
    const cl = clip(ctx, shape);
    path(ctx, shape, tone(p, rng.pick(crops), depth));

    // Patches with converging furrows, separated by hedgerows.
    const vx = rng.range(0.2, 0.8) * W;
    const vy = bases[i] - H * (0.2 + i * 0.1);
    let x = -20;
    let inner = '';
    while (x < W) {
      const w = rng.range(0.25, 0.6) * W;
      const colour = tone(p, rng.pick(crops), depth);
      const slant = (x - vx) * 0.4;
      const patch = poly([[x, bases[i] - H * 0.2], [x + w, bases[i] - H * 0.2], [x + w + slant, H + 2], [x + slant, H + 2]]);
      inner += `<path d="${patch}" fill="${colour}"/>`;
      let furrows = '';
      const count = Math.round(w / ((14 + i * 16) * k));
      for (let f = 0; f <= count; f++) {
        const fx = x + (f / count) * w;
        furrows += `M${n(vx + (fx - vx) * 0.05)} ${n(vy)}L${n(fx + (fx - vx) * 1.5)} ${n(H * 1.6)}`;
      }
      if (rng.chance(0.75)) {
        inner += `<path d="${furrows}" stroke="${mix(colour, p.ink, 0.16)}" stroke-width="${n((1.2 + i * 2.2) * k)}"${clip(ctx, patch)}/>`;
      }
      x += w;
      inner += `<path d="M${n(x)} ${n(bases[i] - H * 0.2)}L${n(x + (x - vx) * 0.4)} ${n(H + 2)}" stroke="${tone(p, p.foliage[1] ?? p.foliage[0], depth * 0.8)}" stroke-width="${n((2 + i * 3) * k)}"/>`;
    }
    ctx.out.push(`<g${cl}>${inner}</g>`);

    // A hedgerow of round trees along the crest.
    let trees = '';
    let trunks = '';
    for (let tx = rng.range(-20, 40); tx < W; tx += rng.range(20, 120) * k * (1 + i)) {
      if (!rng.chance(0.55)) continue;
      const t = roundTree(tx, yAt(top, tx) + 2, rng.range(22, 34) * k * (1 + i * 0.8), rng);
      trees += t.crown;
      trunks += t.trunk;
    }
    path(ctx, trunks, tone(p, MAT.earth, depth * 0.7));
    path(ctx, trees, tone(p, rng.pick(p.foliage), depth * 0.7));
    if (i === 1) farm(ctx, rng.range(0.15, 0.75) * W, top, depth * 0.7, 1.1 * k);
  }
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.3, 0.6), rng.int(3, 5), 8 * k);
  weather(ctx);
}

/** A red barn with a white trim, and a silo. */
function farm(ctx: Ctx, x: number, ground: Pt[], depth: number, s: number): void {
  const { p } = ctx;
  const base = yAt(ground, x + 40 * s) + 4 * s;
  const w = 70 * s;
  const h = 36 * s;
  const barn = tone(p, '#b8432f', depth);
  const roof = tone(p, '#4a3a36', depth);
  const trim = tone(p, '#f4efe6', depth);
  path(ctx, rect(x + w + 6 * s, base - h * 1.7, 20 * s, h * 1.7) + circ(x + w + 16 * s, base - h * 1.7, 10 * s), tone(p, '#b9bcc2', depth));
  path(ctx, rect(x, base - h, w, h), barn);
  path(ctx, `M${n(x - 4 * s)} ${n(base - h)}L${n(x + w * 0.25)} ${n(base - h * 1.55)}L${n(x + w * 0.75)} ${n(base - h * 1.55)}L${n(x + w + 4 * s)} ${n(base - h)}Z`, roof);
  // The door, with its cross brace.
  const [dl, dr, dt] = [x + w * 0.38, x + w * 0.62, base - h * 0.7];
  const door = `${rect(dl, dt, dr - dl, h * 0.7)}M${n(dl)} ${n(dt)}L${n(dr)} ${n(base)}M${n(dr)} ${n(dt)}L${n(dl)} ${n(base)}`;
  ctx.out.push(`<path d="${door}" fill="none" stroke="${trim}" stroke-width="${n(2.2 * s)}"/>`);
}

function drawForest(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.56;
  skyAndLights(ctx, hz * 0.9);
  range(ctx, { base: hz, top: H * rng.range(0.22, 0.32), depth: 0.92, rough: 0.5 });
  mist(ctx, hz - H * 0.15, hz, 0.45);
  const layers = 5;
  for (let i = 0; i < layers; i++) {
    const depth = 0.82 - i * 0.2;
    const base = hz + (H - hz) * ((i / (layers - 1)) ** 1.3) * 0.85 + H * 0.01;
    const top = rolling(ctx, base, H * (0.015 + i * 0.012), 0.7 + rng.range(0, 0.6));
    const fill = tone(p, p.foliage[0], depth);
    path(ctx, band(ctx, top), fill);
    const scale = (0.35 + i * 0.55) * k;
    let conifers = '';
    const round: Record<string, string> = {};
    let trunks = '';
    for (let x = rng.range(-30, 0); x < W + 30; x += rng.range(14, 30) * scale) {
      const h = rng.range(55, 100) * scale;
      const y = yAt(top, x) + h * 0.12;
      // Autumn brings broad-leaved trees in colour among the evergreens.
      if (p.foliage.length > 3 && rng.chance(0.55)) {
        const t = roundTree(x, y, h * 0.8, rng);
        const c = tone(p, rng.pick(p.foliage), depth);
        round[c] = (round[c] ?? '') + t.crown;
        trunks += t.trunk;
      } else {
        conifers += conifer(x, y, h, h * rng.range(0.36, 0.48));
      }
    }
    path(ctx, conifers, fill);
    path(ctx, trunks, mix(fill, p.ink, 0.3));
    for (const [c, d] of Object.entries(round)) path(ctx, d, c);
    if (i < layers - 1) mist(ctx, base - H * 0.12 * (1 + i * 0.3), base + H * 0.05, 0.32);
  }
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.3, 0.6), rng.int(2, 5), 9 * k);
  weather(ctx);
}

function drawSea(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * rng.range(0.5, 0.56);
  const low = p.bodyY > 0.7;
  const sun = skyAndLights(ctx, hz, { body: low ? { y: hz - rng.range(0.1, 0.4) * 60 * k } : {}, cloudScale: 1.2 });

  // A headland with a lighthouse on one side.
  const side = rng.chance(0.5) ? 1 : -1;
  const headW = rng.range(0.28, 0.42) * W;
  const hx = side > 0 ? W - headW : 0;
  const land = tone(p, p.foliage[0], 0.7);
  const pts: Pt[] = [];
  for (let i = 0; i <= 24; i++) {
    const t = i / 24;
    const edge = side > 0 ? t : 1 - t;
    const hgt = H * 0.09 * Math.min(1, edge * 3) * (0.85 + 0.15 * Math.sin(t * 9 + rng.next()));
    pts.push([hx + t * headW, hz - hgt]);
  }
  path(ctx, poly([...pts, [hx + headW, hz + 2], [hx, hz + 2]]), land);
  const lx = side > 0 ? hx + headW * 0.55 : hx + headW * 0.45;
  const ly = yAt(pts, lx) + 2;
  const lh = H * 0.09;
  const tower = tone(p, '#f4f1ea', 0.5);
  path(ctx, `M${n(lx - lh * 0.09)} ${n(ly)}L${n(lx - lh * 0.06)} ${n(ly - lh)}L${n(lx + lh * 0.06)} ${n(ly - lh)}L${n(lx + lh * 0.09)} ${n(ly)}Z`, tower);
  path(ctx, rect(lx - lh * 0.08, ly - lh * 0.38, lh * 0.16, lh * 0.14) + rect(lx - lh * 0.07, ly - lh * 0.72, lh * 0.14, lh * 0.14), tone(p, '#c8412f', 0.5));
  path(ctx, rect(lx - lh * 0.07, ly - lh * 1.15, lh * 0.14, lh * 0.15) + `M${n(lx - lh * 0.1)} ${n(ly - lh * 1.15)}L${n(lx)} ${n(ly - lh * 1.3)}L${n(lx + lh * 0.1)} ${n(ly - lh * 1.15)}Z`, tone(p, MAT.hull, 0.5));
  if (p.lit > 0.2) {
    const beam = side > 0 ? -1 : 1;
    const end = lx + beam * W * 0.35;
    const fade = linear(ctx, [[0, p.light, 0.55], [1, p.light, 0]], lx, 0, end, 0);
    path(ctx, poly([[lx, ly - lh * 1.08], [end, ly - lh * 1.6], [end, ly - lh * 0.6]]), fade);
    path(ctx, circ(lx, ly - lh * 1.08, lh * 0.06), p.light);
  }

  // Open water in bands that grow and darken towards the viewer.
  ctx.out.push(`<rect y="${n(hz)}" width="${W}" height="${n(H - hz)}" fill="${linear(ctx, [[0, mix(p.sky[2], p.water, 0.3)], [1, tone(p, p.water, 0.15)]], 0, hz, 0, H)}"/>`);
  if (sun.r > 0) glitter(ctx, sun.x, hz, H, sun.r, p.bodyColour);
  if (rng.chance(0.8)) sailboat(ctx, rng.range(0.15, 0.85) * W, hz + (H - hz) * rng.range(0.12, 0.22), rng.range(45, 65) * k, 0.5);
  const bands = 6;
  for (let i = 0; i < bands; i++) {
    const t = (i + 1) / (bands + 1);
    const y = hz + (H - hz) * t ** 1.25;
    const amp = (2 + t * 16) * k;
    const wl = (80 + t * 340) * k;
    const ph = rng.range(0, wl);
    const crest: Pt[] = [];
    for (let x = -wl; x <= W + wl; x += wl / 8) {
      const u = ((x + ph) / wl) * Math.PI * 2;
      // Sharper crests than troughs, like wind-driven swell.
      crest.push([x, y - amp * (Math.abs(Math.sin(u / 2)) * 2 - 1)]);
    }
    const c = tone(p, p.water, 0.6 - t * 0.6);
    path(ctx, band(ctx, crest), mix(c, p.sky[1], 0.12));
    ctx.out.push(`<path d="${smooth(crest)}" fill="none" stroke="${mix(c, '#ffffff', 0.35)}" stroke-opacity="0.6" stroke-width="${n((1 + t * 3) * k)}"/>`);
  }
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.25, 0.6), rng.int(3, 6), 10 * k);
  weather(ctx);
}

function drawDesert(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.62;
  skyAndLights(ctx, hz, { body: { r: rng.range(80, 110) * k } });

  // Flat-topped mesas in the haze.
  let mesas = '';
  for (let i = 0; i < rng.int(2, 3); i++) {
    const x = rng.range(-0.1, 0.85) * W;
    const w = rng.range(0.12, 0.3) * W;
    const h = rng.range(0.06, 0.16) * H;
    mesas += poly([[x, hz + 2], [x + w * 0.12, hz - h * 0.7], [x + w * 0.2, hz - h], [x + w * 0.75, hz - h], [x + w * 0.82, hz - h * 0.65], [x + w, hz + 2]]);
  }
  const mesa = tone(p, '#b8674a', 0.85);
  path(ctx, mesas, mesa);
  path(ctx, rect(0, hz - 1, W, H - hz + 1), tone(p, MAT.sand, 0.85));

  const layers = 4;
  for (let i = 0; i < layers; i++) {
    const depth = 0.75 - i * 0.22;
    const base = hz + (H - hz) * (0.06 + i * 0.26);
    const amp = H * (0.035 + i * 0.04);
    const lit = tone(p, MAT.sand, depth);
    const shadow = mix(lit, mix(p.sky[0], p.ink, 0.45), 0.3);
    // Dunes in a row: a long gentle windward rise to a sharp crest, then a short steep lee slope.
    let d = '';
    let shade = '';
    let x = -rng.range(0.1, 0.4) * W;
    let y = base + amp * rng.range(-0.2, 0.2);
    d = `M${n(x)} ${n(H + 2)}L${n(x)} ${n(y)}`;
    const top: Pt[] = [[x, y]];
    while (x < W) {
      const rise = rng.range(0.22, 0.45) * W;
      const fall = rise * rng.range(0.35, 0.6);
      const cx = x + rise;
      const cy = base - amp * rng.range(0.5, 1.1);
      const nx = cx + fall;
      const ny = base + amp * rng.range(-0.25, 0.25);
      d += `C${n(x + rise * 0.55)} ${n(y)} ${n(cx - rise * 0.3)} ${n(cy)} ${n(cx)} ${n(cy)}`;
      d += `C${n(cx + fall * 0.2)} ${n(cy + (ny - cy) * 0.55)} ${n(nx - fall * 0.45)} ${n(ny)} ${n(nx)} ${n(ny)}`;
      top.push([cx, cy], [nx, ny]);
      // The lee face in shadow: from the crest's knife edge across to where the next dune rises.
      // The lee face in shadow: a curved triangle between the crest's knife edge, which sweeps
      // down towards the viewer, and the trough where the next dune begins to rise.
      const fx = cx - rise * rng.range(0.05, 0.2);
      const fy = base + (H - hz) * 0.3;
      shade +=
        `M${n(cx)} -2L${n(cx)} ${n(cy)}` +
        `C${n(cx - rise * 0.02)} ${n(cy + (fy - cy) * 0.5)} ${n(fx + (cx - fx) * 0.3)} ${n(fy - (fy - cy) * 0.1)} ${n(fx)} ${n(fy)}` +
        `C${n(fx + (nx - fx) * 0.5)} ${n(fy)} ${n(nx - fall * 0.1)} ${n(ny + (fy - ny) * 0.4)} ${n(nx)} ${n(ny)}L${n(nx)} -2Z`;
      x = nx;
      y = ny;
    }
    d += `L${n(x)} ${n(H + 2)}Z`;
    path(ctx, d, lit);
    const cl = clip(ctx, d);
    path(ctx, shade, shadow, cl);
    // Wind ripples on the lit faces.
    let ripples = '';
    for (let r = 0; r < 10 + i * 4; r++) {
      const rx = rng.range(0, W);
      const ry = yAt(top, rx) + rng.range(0.15, 1) * (H - base) * 0.5 + 6 * k;
      const len = rng.range(30, 80) * k * (1 + i * 0.6);
      ripples += `M${n(rx)} ${n(ry)}q${n(len / 2)} ${n(-len * 0.06)} ${n(len)} 0`;
    }
    ctx.out.push(`<path d="${ripples}" fill="none" stroke="${mix(lit, shadow, 0.45)}" stroke-width="${n((1.2 + i) * k)}" stroke-linecap="round"${cl}/>`);
  }
  // Saguaros in the foreground.
  let cacti = '';
  for (let i = 0; i < rng.int(1, 3); i++) cacti += saguaro(rng.range(0.05, 0.95) * W, H * rng.range(0.9, 1.02), rng.range(150, 260) * k, rng);
  path(ctx, cacti, tone(p, '#3f6b4a', 0));
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.25, 0.5), rng.int(2, 3), 9 * k);
  weather(ctx);
}

function saguaro(x: number, base: number, h: number, rng: Rng): string {
  const w = h * 0.13;
  let d = `M${n(x - w / 2)} ${n(base)}L${n(x - w / 2)} ${n(base - h + w / 2)}A${n(w / 2)} ${n(w / 2)} 0 0 1 ${n(x + w / 2)} ${n(base - h + w / 2)}L${n(x + w / 2)} ${n(base)}Z`;
  for (const side of [-1, 1]) {
    if (!rng.chance(0.8)) continue;
    const ay = base - h * rng.range(0.35, 0.55);
    const reach = w * rng.range(1.2, 1.7);
    const up = h * rng.range(0.18, 0.32);
    const aw = w * 0.75;
    const ox = x + side * reach;
    // Elbow out, then up; drawn as a band and a capped upright.
    d += rect(Math.min(x, ox), ay - aw / 2, Math.abs(ox - x), aw);
    d += `M${n(ox - aw / 2)} ${n(ay + aw / 2)}L${n(ox - aw / 2)} ${n(ay - up)}A${n(aw / 2)} ${n(aw / 2)} 0 0 1 ${n(ox + aw / 2)} ${n(ay - up)}L${n(ox + aw / 2)} ${n(ay + aw / 2)}Z`;
  }
  return d;
}

function drawSnow(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.58;
  skyAndLights(ctx, hz * 0.9);
  range(ctx, { base: hz, top: H * rng.range(0.2, 0.3), depth: 0.85, rough: 0.5, colour: tone(p, MAT.snow, 0.9), snow: 0 });
  mist(ctx, hz - H * 0.2, hz, 0.35);
  const layers = 3;
  let cabinDone = false;
  for (let i = 0; i < layers; i++) {
    const depth = 0.6 - i * 0.28;
    const base = hz + (H - hz) * (0.05 + i * 0.32);
    const top = rolling(ctx, base, H * (0.02 + i * 0.02), 0.6 + rng.range(0, 0.4));
    const snow = tone(p, MAT.snow, depth);
    const shape = band(ctx, top);
    ctx.out.push(`<path d="${shape}" fill="${linear(ctx, [[0, snow], [1, mix(snow, p.sky[0], 0.3)]], 0, base - H * 0.05, 0, H)}"/>`);
    const scale = (0.5 + i * 0.8) * k;
    let trees = '';
    let caps = '';
    // Trees stand in copses with open snow between them.
    for (let cx = rng.range(-0.1, 0.15) * W; cx < W * 1.1; cx += rng.range(0.18, 0.4) * W) {
      const count = rng.int(3, 8);
      for (let t = 0; t < count; t++) {
        const x = cx + rng.range(-60, 60) * scale * (1 + count / 4);
        const h = rng.range(60, 120) * scale * (t === 0 ? 1.2 : 1);
        const y = yAt(top, x) + rng.range(4, 20) * scale;
        trees += conifer(x, y, h, h * 0.45);
        // Snow resting on each tier.
        for (let tier = 0; tier < 3; tier++) {
          const ty = y - h + ((h - h * 0.1) * tier) / 3;
          const half = (h * 0.45 * (0.45 + (0.55 * tier) / 3)) / 2;
          caps += poly([
            [x, ty + (tier === 0 ? 0 : h * 0.02)],
            [x + half * 0.75, ty + half * 0.55],
            [x + half * 0.2, ty + half * 0.45],
            [x - half * 0.3, ty + half * 0.6],
            [x - half * 0.75, ty + half * 0.55],
          ]);
        }
      }
    }
    path(ctx, trees, tone(p, '#1f4a3c', depth));
    path(ctx, caps, snow);
    if (i === 1 && !cabinDone) {
      cabin(ctx, rng.range(0.2, 0.7) * W, top, depth, 1.3 * k);
      cabinDone = true;
    }
  }
  // Falling snow.
  let flakes = '';
  for (let i = 0; i < 220 * (W / 1600); i++) flakes += circ(rng.range(0, W), rng.range(0, H), rng.range(1, 3.4) * k);
  path(ctx, flakes, '#ffffff', ' fill-opacity="0.8"');
}

function cabin(ctx: Ctx, x: number, ground: Pt[], depth: number, s: number): void {
  const { p, rng } = ctx;
  const w = 90 * s;
  const h = 46 * s;
  const base = yAt(ground, x + w / 2) + 8 * s;
  const wall = tone(p, '#9a3b2e', depth);
  const snow = tone(p, MAT.snow, depth * 0.5);
  path(ctx, rect(x + w * 0.68, base - h * 1.75, w * 0.1, h * 0.6), tone(p, '#5a4a44', depth));
  let smoke = '';
  for (let i = 0; i < 5; i++) smoke += circ(x + w * 0.73 + i * 9 * s + rng.range(-3, 3) * s, base - h * 1.9 - i * 16 * s, (6 + i * 3) * s);
  path(ctx, smoke, mix(p.sky[1], '#ffffff', 0.5), ' fill-opacity="0.5"');
  path(ctx, rect(x, base - h, w, h), wall);
  path(ctx, `M${n(x - 10 * s)} ${n(base - h + 2 * s)}L${n(x + w / 2)} ${n(base - h * 1.7)}L${n(x + w + 10 * s)} ${n(base - h + 2 * s)}Z`, snow);
  const lit = p.lit > 0 || p.body !== 'sun';
  path(ctx, rect(x + w * 0.18, base - h * 0.7, w * 0.2, h * 0.32) + rect(x + w * 0.62, base - h * 0.7, w * 0.2, h * 0.32), lit ? p.light : mix(wall, p.ink, 0.5));
  path(ctx, rect(x + w * 0.44, base - h * 0.6, w * 0.13, h * 0.6), mix(wall, p.ink, 0.4));
}

function drawSpace(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const deep = '#03040c';
  ctx.out.push(`<rect width="${W}" height="${H}" fill="${linear(ctx, [[0, mix(p.sky[0], deep, 0.75)], [1, mix(p.sky[1], deep, 0.72)]], 0, 0, W * 0.3, H)}"/>`);
  // Nebulae: broad soft glows in the palette's colours.
  for (const c of [p.accent2, p.sky[1], p.accent]) {
    const x = rng.range(0, W);
    const y = rng.range(0, H);
    // Kept within about half the width: gradient fills cost by area, and these dominate the render.
    const r = rng.range(0.25, 0.45) * W;
    ctx.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${radial(ctx, [[0, c, 0.3], [0.5, c, 0.1], [1, c, 0]], x, y, r)}"/>`);
  }
  stars(ctx, H, 2.2);
  let sparkles = '';
  for (let i = 0; i < 7; i++) {
    const x = rng.range(0, W);
    const y = rng.range(0, H);
    const s = rng.range(5, 11) * k;
    sparkles += `M${n(x)} ${n(y - s)}Q${n(x)} ${n(y)} ${n(x + s)} ${n(y)}Q${n(x)} ${n(y)} ${n(x)} ${n(y + s)}Q${n(x)} ${n(y)} ${n(x - s)} ${n(y)}Q${n(x)} ${n(y)} ${n(x)} ${n(y - s)}Z`;
  }
  path(ctx, sparkles, '#fffbe8');

  // A ringed planet, partly out of frame.
  const left = rng.chance(0.5);
  const R = rng.range(0.3, 0.42) * H;
  const cx = left ? rng.range(0.12, 0.3) * W : rng.range(0.7, 0.88) * W;
  const cy = rng.range(0.35, 0.6) * H;
  const tilt = rng.range(-24, -8) * (left ? -1 : 1);
  const base = mix(p.accent2, p.sky[1], 0.25);
  const ringColour = mix(p.accent2, '#f6e7c8', 0.45);
  const ring = (half: 'back' | 'front') => {
    const rx = R * 1.9;
    const ry = R * 0.36;
    const sweep = half === 'back' ? 1 : 0;
    const arc = (r1: number, r2: number) => `M${n(cx - r1)} ${n(cy)}A${n(r1)} ${n(r2)} 0 0 ${sweep} ${n(cx + r1)} ${n(cy)}`;
    const strokes = [
      [arc(rx, ry), 0.09 * R, ringColour, 0.85],
      [arc(rx * 0.84, ry * 0.84), 0.05 * R, mix(ringColour, base, 0.4), 0.7],
      [arc(rx * 1.12, ry * 1.12), 0.03 * R, ringColour, 0.5],
    ] as const;
    return strokes
      .map(([d, w, c, o]) => `<path d="${d}" fill="none" stroke="${c}" stroke-opacity="${o}" stroke-width="${n(w)}" transform="rotate(${n(tilt)} ${n(cx)} ${n(cy)})"/>`)
      .join('');
  };
  ctx.out.push(ring('back'));
  const disc = circ(cx, cy, R);
  const cl = clip(ctx, disc);
  path(ctx, disc, base);
  let stripes = '';
  for (let y = cy - R; y < cy + R; y += rng.range(0.05, 0.16) * R) {
    const h = rng.range(0.03, 0.1) * R;
    stripes += `<path d="${rect(cx - R, y, 2 * R, h)}" fill="${mix(base, rng.pick([p.accent, p.sky[2], p.ink, '#ffffff']), rng.range(0.15, 0.4))}" transform="rotate(${n(tilt)} ${n(cx)} ${n(cy)})"/>`;
  }
  const lx = left ? 1 : -1;
  // Night side: the disc minus a lit circle offset towards the light.
  const night = rect(cx - R * 1.1, cy - R * 1.1, R * 2.2, R * 2.2) + circ(cx + lx * R * 0.35, cy - R * 0.25, R * 1.02);
  ctx.out.push(`<g${cl}>${stripes}<path d="${night}" fill="${deep}" fill-opacity="0.55" fill-rule="evenodd"/></g>`);
  ctx.out.push(ring('front'));

  // Small moons.
  for (let i = 0; i < rng.int(1, 2); i++) {
    const mr = rng.range(0.04, 0.08) * H;
    const mx = left ? rng.range(0.55, 0.9) * W : rng.range(0.1, 0.45) * W;
    const my = rng.range(0.15, 0.5) * H;
    const mc = mix(p.sky[2], '#c9c4bb', 0.5);
    path(ctx, circ(mx, my, mr), mc);
    path(ctx, `M${n(mx)} ${n(my - mr)}A${n(mr)} ${n(mr)} 0 0 ${left ? 0 : 1} ${n(mx)} ${n(my + mr)}A${n(mr * 0.55)} ${n(mr)} 0 0 ${left ? 1 : 0} ${n(mx)} ${n(my - mr)}Z`, deep, ' fill-opacity="0.5"');
  }

  // The curve of a cratered moon surface underfoot.
  const gr = W * 1.6;
  const gy = H * rng.range(0.86, 0.93) + gr;
  const surface = mix(p.sky[2], '#8a8794', 0.6);
  path(ctx, circ(W / 2, gy, gr), linear(ctx, [[0, mix(surface, '#ffffff', 0.15)], [1, mix(surface, deep, 0.6)]], 0, gy - gr, 0, H));
  let craters = '';
  for (let i = 0; i < 14; i++) {
    const x = rng.range(0, W);
    const top = gy - Math.sqrt(Math.max(0, gr * gr - (x - W / 2) ** 2));
    const y = top + rng.range(0.2, 1) * (H - top);
    const r = rng.range(10, 40) * k * (0.5 + (y - top) / (H - top + 1));
    craters += `M${n(x - r)} ${n(y)}a${n(r)} ${n(r * 0.28)} 0 1 1 ${n(2 * r)} 0a${n(r)} ${n(r * 0.28)} 0 1 1 ${n(-2 * r)} 0Z`;
  }
  path(ctx, craters, mix(surface, deep, 0.35), clip(ctx, circ(W / 2, gy, gr)));
}

function drawRiver(ctx: Ctx): void {
  const { W, H, rng, p, k } = ctx;
  const hz = H * 0.46;
  const sun = skyAndLights(ctx, hz);
  range(ctx, { base: hz, top: hz - H * rng.range(0.12, 0.2), depth: 0.92, rough: 0.5 });
  const far = rolling(ctx, hz, H * 0.025, 1.2);
  path(ctx, band(ctx, far), tone(p, p.foliage[0], 0.75));
  ground(ctx, hz + H * 0.02, p.grass);

  // The river winds from the horizon, widening towards us.
  const phase = rng.range(0, Math.PI * 2);
  const centre = (t: number) => W * (0.5 + 0.22 * Math.sin(t * Math.PI * 1.6 + phase) * (1 - t * 0.55));
  const half = (t: number) => W * (0.006 + 0.42 * t ** 2.2);
  const yOf = (t: number) => hz + H * 0.01 + (H - hz) * t;
  const leftBank: Pt[] = [];
  const rightBank: Pt[] = [];
  for (let i = 0; i <= 40; i++) {
    const t = i / 40;
    leftBank.push([centre(t) - half(t), yOf(t)]);
    rightBank.push([centre(t) + half(t), yOf(t)]);
  }
  rightBank.push([centre(1) + half(1), H + 10]);
  leftBank.push([centre(1) - half(1), H + 10]);
  const riverD = poly([...leftBank, ...rightBank.reverse()]);
  path(ctx, riverD, linear(ctx, [[0, mix(p.sky[2], '#ffffff', 0.15)], [0.5, mix(p.sky[1], p.water, 0.35)], [1, tone(p, p.water, 0.25)]], 0, hz, 0, H));
  ctx.out.push(`<path d="${riverD}" fill="none" stroke="${tone(p, MAT.earth, 0.4)}" stroke-opacity="0.5" stroke-width="${n(3 * k)}"/>`);
  let ripples = '';
  for (let i = 0; i < 50; i++) {
    const t = rng.next() ** 0.8;
    const y = yOf(t);
    const len = half(t) * rng.range(0.1, 0.35);
    ripples += rect(centre(t) + rng.range(-0.7, 0.7) * half(t) - len / 2, y, len, (1 + t * 2.5) * k);
  }
  path(ctx, ripples, p.sky[2], ` fill-opacity="0.45"${clip(ctx, riverD)}`);
  if (sun.r > 0) {
    let glints = '';
    for (let i = 0; i < 30; i++) {
      const t = rng.next() ** 1.5;
      const len = rng.range(0.05, 0.25) * half(t) + 6 * k;
      glints += rect(sun.x - len / 2 + rng.range(-1, 1) * sun.r * (1 + t * 3), yOf(t), len, (1 + t * 3) * k);
    }
    path(ctx, glints, p.bodyColour, ` fill-opacity="0.6"${clip(ctx, riverD)}`);
  }

  // Trees along both banks, larger as they come nearer; drawn far to near.
  const crowns: Record<string, string> = {};
  let trunks = '';
  let poplars = '';
  for (let i = 0; i < 60; i++) {
    const t = (i + rng.next()) / 60;
    const y = yOf(t);
    const side = rng.chance(0.5) ? -1 : 1;
    const x = centre(t) + side * (half(t) + rng.range(0.01, 0.12) * W * (0.2 + t));
    const h = (14 + t * 170) * k * rng.range(0.8, 1.2);
    if (rng.chance(0.3)) {
      poplars += poplar(x, y, h * 1.3);
    } else {
      const tr = roundTree(x, y, h, rng);
      const c = tone(p, rng.pick(p.foliage), 0.7 - t * 0.7);
      crowns[c] = (crowns[c] ?? '') + tr.crown;
      trunks += tr.trunk;
    }
  }
  path(ctx, trunks, tone(p, MAT.earth, 0.3));
  for (const [c, d] of Object.entries(crowns)) path(ctx, d, c);
  path(ctx, poplars, tone(p, p.foliage[p.foliage.length > 3 ? 4 : 0], 0.35));
  birds(ctx, rng.range(0.2, 0.8) * W, hz * rng.range(0.3, 0.6), rng.int(3, 5), 9 * k);
  weather(ctx);
}

function drawAbstract(ctx: Ctx): void {
  const { W, H, rng, p } = ctx;
  // Bauhaus-like tiles: each cell a solid ground with one bold geometric motif.
  const colours = [p.sky[0], p.sky[1], p.sky[2], p.accent, p.accent2, p.ink, p.bodyColour, mix(p.sky[2], '#ffffff', 0.5)];
  const rows = rng.int(2, 3);
  const size = H / rows;
  const cols = Math.ceil(W / size);
  const ox = (W - cols * size) / 2;
  ctx.out.push(`<rect width="${W}" height="${H}" fill="${mix(p.sky[2], '#ffffff', 0.5)}"/>`);
  let last = '';
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = ox + c * size;
      const y = r * size;
      let bg = rng.pick(colours);
      if (bg === last) bg = rng.pick(colours);
      last = bg;
      let fg = rng.pick(colours);
      while (fg === bg) fg = rng.pick(colours);
      const rot = rng.int(0, 3) * 90;
      const g = `transform="rotate(${rot} ${n(x + size / 2)} ${n(y + size / 2)})"`;
      const s = size;
      let motif = '';
      switch (rng.pick(['circle', 'half', 'quarter', 'stripes', 'triangle', 'rings', 'dots', 'arch'] as const)) {
        case 'circle':
          motif = `<circle cx="${n(x + s / 2)}" cy="${n(y + s / 2)}" r="${n(s * rng.range(0.25, 0.4))}" fill="${fg}"/>`;
          break;
        case 'half':
          motif = `<path d="M${n(x)} ${n(y + s / 2)}A${n(s / 2)} ${n(s / 2)} 0 0 1 ${n(x + s)} ${n(y + s / 2)}Z" fill="${fg}"/>`;
          break;
        case 'quarter':
          motif = `<path d="M${n(x)} ${n(y)}L${n(x + s)} ${n(y)}A${n(s)} ${n(s)} 0 0 1 ${n(x)} ${n(y + s)}Z" fill="${fg}"/>`;
          break;
        case 'stripes': {
          let d = '';
          const count = rng.int(3, 6);
          for (let i = 0; i < count; i++) d += rect(x, y + (i + 0.25) * (s / count), s, (s / count) * 0.5);
          motif = `<path d="${d}" fill="${fg}"/>`;
          break;
        }
        case 'triangle':
          motif = `<path d="M${n(x)} ${n(y + s)}L${n(x + s / 2)} ${n(y + s * 0.15)}L${n(x + s)} ${n(y + s)}Z" fill="${fg}"/>`;
          break;
        case 'rings': {
          let d = '';
          for (let i = 3; i >= 1; i--) d += `<circle cx="${n(x)}" cy="${n(y + s)}" r="${n((s * i) / 3)}" fill="${i % 2 ? fg : bg}"/>`;
          motif = d;
          break;
        }
        case 'dots': {
          let d = '';
          const m = rng.int(3, 4);
          for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) d += circ(x + ((i + 0.5) * s) / m, y + ((j + 0.5) * s) / m, (s / m) * 0.22);
          motif = `<path d="${d}" fill="${fg}"/>`;
          break;
        }
        case 'arch':
          motif = `<path d="M${n(x + s * 0.15)} ${n(y + s)}L${n(x + s * 0.15)} ${n(y + s * 0.5)}A${n(s * 0.35)} ${n(s * 0.35)} 0 0 1 ${n(x + s * 0.85)} ${n(y + s * 0.5)}L${n(x + s * 0.85)} ${n(y + s)}Z" fill="${fg}"/>`;
          break;
      }
      ctx.out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(s)}" height="${n(s)}" fill="${bg}"/><g ${g}>${motif}</g>`);
    }
  }
  // One large sun crossing the grid ties the composition together.
  const r = H * rng.range(0.18, 0.28);
  ctx.out.push(`<circle cx="${n(rng.range(0.2, 0.8) * W)}" cy="${n(rng.range(0.25, 0.75) * H)}" r="${n(r)}" fill="${p.accent}" fill-opacity="0.92"/>`);
}

const DRAW: Record<Scene, (ctx: Ctx) => void> = {
  city: drawCity,
  'night-city': drawCity,
  harbor: drawHarbor,
  mountains: drawMountains,
  fields: drawFields,
  forest: drawForest,
  sea: drawSea,
  desert: drawDesert,
  snow: drawSnow,
  space: drawSpace,
  river: drawRiver,
  abstract: drawAbstract,
};
