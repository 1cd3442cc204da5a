// The cover: the picture full bleed, the nameplate across the top in the serif, issue number and
// dates above it, the tagline under it, and the edition's title and cover lines at the foot.
import type { EditionContent } from '../types.ts';
import type { RunStyle } from './inline-runs.ts';
import { drawPicture, type OpenedPicture } from './pictures.ts';
import { COLOR, MARGIN, PAGE } from './theme.ts';
import type { Typesetter } from './typesetter.ts';

export function renderCover(opts: { set: Typesetter; content: EditionContent; picture: OpenedPicture | undefined }): void {
  const { set, content } = opts;
  const { doc } = set;
  const left = MARGIN.inner;
  const width = PAGE.width - MARGIN.inner - MARGIN.outer;

  if (opts.picture) {
    drawPicture(doc, opts.picture, { x: 0, y: 0, width: PAGE.width, height: PAGE.height });
  } else {
    doc.rect(0, 0, PAGE.width, PAGE.height).fill(COLOR.ink);
  }
  // Shade the top and foot so white type reads on any picture.
  const top = doc.linearGradient(0, 0, 0, 300);
  top.stop(0, '#000000', 0.62).stop(1, '#000000', 0);
  doc.rect(0, 0, PAGE.width, 300).fill(top);
  const foot = doc.linearGradient(0, 380, 0, PAGE.height);
  foot.stop(0, '#000000', 0).stop(1, '#000000', 0.82);
  doc.rect(0, 380, PAGE.width, PAGE.height - 380).fill(foot);

  // Folio line: issue number left, dates right, a rule under.
  const small: RunStyle = { font: 'sans-bold', size: 8, color: COLOR.white };
  set.label(`No. ${content.number}`.toUpperCase(), small, { x: left, y: 40, tracking: 1.6 });
  set.label('The Weekly'.toUpperCase(), small, { x: left, y: 40, tracking: 1.6, align: 'center', width });
  set.label(content.dateLine.toUpperCase(), small, { x: left, y: 40, tracking: 1.6, align: 'right', width });
  doc.rect(left, 48, width, 0.8).fill(COLOR.white);

  // Nameplate: as large as the measure allows.
  const nameStyle: RunStyle = { font: 'serif-heavy', size: 100, color: COLOR.white };
  const atHundred = set.measure(content.publicationName, nameStyle);
  const nameSize = Math.min(112, (100 * width) / atHundred);
  const nameBaseline = 52 + nameSize * 0.84;
  set.label(content.publicationName, { ...nameStyle, size: nameSize }, { x: left, y: nameBaseline, align: 'center', width, tracking: -nameSize * 0.01 });
  let y = nameBaseline + nameSize * 0.12;
  doc.rect(left, y + 4, width, 0.8).fill(COLOR.white);
  if (content.tagline) set.label(content.tagline, { font: 'serif-italic', size: 13, color: COLOR.white }, { x: left, y: y + 22, align: 'center', width });

  // The foot, laid out from the bottom up: cover lines, then the title, then its kicker.
  const lineStyle: RunStyle = { font: 'sans-bold', size: 11.5, color: COLOR.white };
  const coverLines = content.coverLines.slice(0, 5);
  y = PAGE.height - 54;
  const lineLeading = 22;
  const coverLinesTop = y - coverLines.length * lineLeading;
  coverLines.forEach((text, i) => {
    const baseline = coverLinesTop + (i + 1) * lineLeading - 6;
    doc.rect(left, baseline - 7, 5, 5).fill(COLOR.accent);
    const lines = set.lines([{ text, style: lineStyle }], { width: width - 14 });
    if (lines[0]) set.drawLine(lines[0], { x: left + 12, baseline });
  });

  const titleStyle: RunStyle = { font: 'serif-semibold', size: 50, color: COLOR.white };
  const titleLines = set.lines([{ text: content.title, style: titleStyle }], { width: width * 0.86 });
  const titleLeading = 51;
  const titleTop = coverLinesTop - 18 - titleLines.length * titleLeading;
  if (coverLines.length) doc.rect(left, coverLinesTop - 6, 60, 1.5).fill(COLOR.white);
  set.drawBlock(titleLines, { x: left, top: titleTop, leading: titleLeading });

  const kicker = 'This week'.toUpperCase();
  const kickerStyle: RunStyle = { font: 'sans-heavy', size: 8, color: COLOR.white };
  const kickerWidth = set.measure(kicker, kickerStyle) + kicker.length * 1.4;
  doc.rect(left, titleTop - 22, kickerWidth + 14, 16).fill(COLOR.accent);
  set.label(kicker, kickerStyle, { x: left + 7, y: titleTop - 11, tracking: 1.4 });
}
