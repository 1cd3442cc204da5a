// The book's stylesheet and the faces it embeds. Kept small and conservative: e-readers apply
// their own margins, sizes and night modes, so this sets hierarchy (the same faces and order as
// the site and the PDF: Newsreader for text, Libre Franklin for labels) and leaves the rest alone.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BookFont {
  /** Name inside the book (fonts/…); the stylesheet refers to it. */
  filename: string;
  /** file:// URL the builder reads it from. */
  url: string;
}

const require = createRequire(import.meta.url);

function fontFile(pkg: string, relative: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), relative);
}

/** The TTF files on disk, by role; the cover art uses some of them too. */
export const FONT_FILES = {
  text: fontFile('@expo-google-fonts/newsreader', '400Regular/Newsreader_400Regular.ttf'),
  textItalic: fontFile('@expo-google-fonts/newsreader', '400Regular_Italic/Newsreader_400Regular_Italic.ttf'),
  textBold: fontFile('@expo-google-fonts/newsreader', '600SemiBold/Newsreader_600SemiBold.ttf'),
  display: fontFile('@expo-google-fonts/newsreader', '700Bold/Newsreader_700Bold.ttf'),
  label: fontFile('@expo-google-fonts/libre-franklin', '600SemiBold/LibreFranklin_600SemiBold.ttf'),
} as const;

/** The faces embedded in the book (OFL: embedding in documents is allowed). */
export function bookFonts(): BookFont[] {
  return [
    { filename: 'Newsreader-Regular.ttf', url: pathToFileURL(FONT_FILES.text).href },
    { filename: 'Newsreader-Italic.ttf', url: pathToFileURL(FONT_FILES.textItalic).href },
    { filename: 'Newsreader-SemiBold.ttf', url: pathToFileURL(FONT_FILES.textBold).href },
    { filename: 'LibreFranklin-SemiBold.ttf', url: pathToFileURL(FONT_FILES.label).href },
  ];
}

export const BOOK_CSS = `@font-face { font-family: "Newsreader"; font-style: normal; font-weight: normal; src: url(fonts/Newsreader-Regular.ttf); }
@font-face { font-family: "Newsreader"; font-style: italic; font-weight: normal; src: url(fonts/Newsreader-Italic.ttf); }
@font-face { font-family: "Newsreader"; font-style: normal; font-weight: bold; src: url(fonts/Newsreader-SemiBold.ttf); }
@font-face { font-family: "Libre Franklin"; font-style: normal; font-weight: bold; src: url(fonts/LibreFranklin-SemiBold.ttf); }

body { font-family: "Newsreader", Georgia, serif; line-height: 1.45; margin: 0 0.4em; }
p { margin: 0; text-indent: 1.2em; text-align: justify; hyphens: auto; -webkit-hyphens: auto; -epub-hyphens: auto; }
h1 + p, h2 + p, h3 + p, h4 + p, header + p, figure + p, blockquote + p, aside + p, ul + p, ol + p, hr + p, .body > p:first-child { text-indent: 0; }
h1, h2, h3, h4 { font-weight: bold; line-height: 1.15; text-indent: 0; page-break-after: avoid; break-after: avoid; }
h2 { font-size: 1.2em; margin: 1.4em 0 0.5em; }
h3, h4 { font-size: 1.05em; margin: 1.2em 0 0.4em; }

.section, .byline, .credit, .issue-line, .toc-section > span, .dateline, figcaption, .source, .intro-heading {
  font-family: "Libre Franklin", "Helvetica Neue", Arial, sans-serif;
}
.section { text-indent: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75em; font-weight: bold; color: #8a1c1c; margin: 0 0 0.6em; }
.headline { font-size: 1.9em; margin: 0 0 0.35em; }
.dek { text-indent: 0; text-align: left; font-size: 1.15em; font-style: italic; line-height: 1.3; margin: 0 0 0.8em; color: #333; }
.byline { text-indent: 0; font-size: 0.8em; font-weight: bold; margin: 0 0 1.2em; }
.dateline { font-size: 0.8em; font-weight: bold; text-transform: uppercase; letter-spacing: 0.04em; }

figure { margin: 1.2em 0; padding: 0; page-break-inside: avoid; break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; max-width: 100%; }
figure.lead { margin-top: 0; }
figcaption { font-size: 0.75em; line-height: 1.35; color: #444; margin-top: 0.4em; text-align: left; }
.credit { display: block; font-size: 0.9em; text-transform: uppercase; letter-spacing: 0.05em; color: #666; margin-top: 0.15em; }

blockquote { margin: 1em 1.2em; }
blockquote p { text-indent: 0; }
.pullquote { margin: 1.4em 0.6em; padding: 0.6em 0; border-top: 2px solid #111; border-bottom: 1px solid #111; text-align: center; page-break-inside: avoid; break-inside: avoid; }
.pullquote p { text-indent: 0; text-align: center; font-size: 1.35em; font-style: italic; line-height: 1.25; }
.pullquote .pullquote-by { font-size: 0.8em; font-style: normal; margin-top: 0.4em; }
ul, ol { margin: 0.8em 0 0.8em 1.4em; padding: 0; }
li { margin: 0.2em 0; }
hr { border: 0; border-top: 1px solid #999; margin: 1.4em 30%; }
code { font-family: monospace; font-size: 0.9em; }
.embed, .source { text-indent: 0; font-size: 0.75em; color: #555; margin-top: 1.2em; }
a { color: inherit; }

.cover { margin: 0; padding: 0; text-align: center; }
.cover img { height: 100%; max-width: 100%; }
body.cover-page { margin: 0; }

.contents-head { text-align: center; margin: 0 0 1.4em; border-bottom: 2px solid #111; padding-bottom: 0.8em; }
.contents-head p { text-indent: 0; text-align: center; }
.nameplate { font-size: 2em; font-weight: bold; line-height: 1.1; }
.issue-line { font-size: 0.8em; font-weight: bold; text-transform: uppercase; letter-spacing: 0.08em; margin-top: 0.3em; }
.edition-title { font-size: 1.2em; font-style: italic; margin-top: 0.3em; }
nav#toc h1 { font-size: 1.1em; text-transform: uppercase; letter-spacing: 0.1em; }
nav#toc ol { list-style: none; margin: 0; padding: 0; }
nav#toc ol ol { margin: 0.2em 0 0.9em; }
nav#toc li { margin: 0.25em 0; }
nav#toc a { text-decoration: none; }
.toc-section > span { font-size: 0.8em; font-weight: bold; text-transform: uppercase; letter-spacing: 0.08em; color: #8a1c1c; }
.toc-entry > a { font-style: italic; }
.toc-story > a { font-size: 1.05em; }

.intro-heading { font-size: 1em; text-transform: uppercase; letter-spacing: 0.1em; margin-bottom: 1em; }
`;
