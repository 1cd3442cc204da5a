// The faces the Weekly is set in — Newsreader for text, Libre Franklin for labels — as full TTF
// files shipped with the project (OFL), registered under short names. PDFKit embeds only the
// glyphs used (a subset), so the file stays small.
import { createRequire } from 'node:module';
import path from 'node:path';

export type FontName =
  | 'serif'
  | 'serif-italic'
  | 'serif-semibold'
  | 'serif-semibold-italic'
  | 'serif-bold'
  | 'serif-heavy'
  | 'sans'
  | 'sans-semibold'
  | 'sans-bold'
  | 'sans-heavy';

const FILES: Record<FontName, [pkg: 'newsreader' | 'libre-franklin', style: string]> = {
  serif: ['newsreader', '400Regular'],
  'serif-italic': ['newsreader', '400Regular_Italic'],
  'serif-semibold': ['newsreader', '600SemiBold'],
  'serif-semibold-italic': ['newsreader', '600SemiBold_Italic'],
  'serif-bold': ['newsreader', '700Bold'],
  'serif-heavy': ['newsreader', '800ExtraBold'],
  sans: ['libre-franklin', '400Regular'],
  'sans-semibold': ['libre-franklin', '600SemiBold'],
  'sans-bold': ['libre-franklin', '700Bold'],
  'sans-heavy': ['libre-franklin', '800ExtraBold'],
};

const FAMILY_FILE_PREFIX = { newsreader: 'Newsreader', 'libre-franklin': 'LibreFranklin' } as const;

/** Absolute path of each TTF, resolved through the installed packages. */
export function fontFiles(): Record<FontName, string> {
  const require = createRequire(import.meta.url);
  const dirs = {
    newsreader: path.dirname(require.resolve('@expo-google-fonts/newsreader/package.json')),
    'libre-franklin': path.dirname(require.resolve('@expo-google-fonts/libre-franklin/package.json')),
  };
  const out = {} as Record<FontName, string>;
  for (const [name, [pkg, style]] of Object.entries(FILES) as [FontName, [keyof typeof dirs, string]][]) {
    out[name] = path.join(dirs[pkg], style, `${FAMILY_FILE_PREFIX[pkg]}_${style}.ttf`);
  }
  return out;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(fontFiles())) doc.registerFont(name, file);
}
