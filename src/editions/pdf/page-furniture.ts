// Running heads and folios, drawn on every page but the cover once all pages exist: the
// publication's name on one side, the section (or "Contents") and the edition's dates on the
// other, the page number at the outer foot.
import type { EditionContent } from '../types.ts';
import { folioOf, type PageInfo } from './page-book.ts';
import { COLOR, PAGE, TEXT_AREA } from './theme.ts';
import type { Typesetter } from './typesetter.ts';

export function drawPageFurniture(opts: { set: Typesetter; pages: PageInfo[]; content: EditionContent }): void {
  const { set, content } = opts;
  const { doc } = set;
  const x = TEXT_AREA.x;
  const width = TEXT_AREA.width;
  opts.pages.forEach((info, index) => {
    if (info.kind === 'cover') return;
    doc.switchToPage(index);
    const folio = folioOf(index);
    // Odd folios fall on right-hand pages: their outer edge is the right one.
    const isRecto = folio % 2 === 1;
    const what = info.kind === 'contents' ? 'Contents' : info.section;
    const headY = 38;
    const nameStyle = { font: 'serif-semibold-italic', size: 10, color: COLOR.ink } as const;
    const sectionStyle = { font: 'sans-bold', size: 6.8, color: COLOR.accent } as const;
    const dateStyle = { font: 'sans', size: 6.8, color: COLOR.muted } as const;
    const side = `${what.toUpperCase()}   ·   ${content.dateLine.toUpperCase()}`;
    if (isRecto) {
      set.label(side, sectionStyle, { x, y: headY, tracking: 1.1 });
      set.label(content.publicationName, nameStyle, { x, y: headY, align: 'right', width });
    } else {
      set.label(content.publicationName, nameStyle, { x, y: headY });
      set.label(side, sectionStyle, { x, y: headY, tracking: 1.1, align: 'right', width });
    }
    doc.rect(x, headY + 7, width, 0.5).fill(COLOR.rule);

    const footY = PAGE.height - 34;
    const folioStyle = { font: 'sans-bold', size: 8.5, color: COLOR.ink } as const;
    const issue = `No. ${content.number}`.toUpperCase();
    if (isRecto) {
      set.label(String(folio), folioStyle, { x, y: footY, align: 'right', width });
      set.label(issue, dateStyle, { x, y: footY, tracking: 1.1 });
    } else {
      set.label(String(folio), folioStyle, { x, y: footY });
      set.label(issue, dateStyle, { x, y: footY, tracking: 1.1, align: 'right', width });
    }
  });
}
