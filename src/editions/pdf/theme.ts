// The Weekly's page: size, margins, columns, colours and type sizes in one place, so the cover,
// contents and story pages agree. Units are PostScript points (1/72 in).

/**
 * US Letter, not A4: the publication writes in American style (AP datelines, US dates) and most
 * of its readers who print at home have Letter paper; an A4 printer scales a Letter page down by
 * only 3% without cropping, while A4 on Letter would lose its foot.
 */
export const PAGE = { width: 612, height: 792 } as const;

export const MARGIN = { top: 66, bottom: 62, inner: 54, outer: 54 } as const;

/** Text area shared by every page but the cover. */
export const TEXT_AREA = {
  x: MARGIN.inner,
  top: MARGIN.top,
  width: PAGE.width - MARGIN.inner - MARGIN.outer,
  bottom: PAGE.height - MARGIN.bottom,
} as const;

/** Two columns of about 48 characters: a magazine measure that keeps justified lines even. */
export const COLUMNS = { count: 2, gap: 20 } as const;

export const COLOR = {
  ink: '#16140f',
  body: '#1d1b17',
  muted: '#5d5a53',
  faint: '#8d887e',
  rule: '#b9b3a6',
  accent: '#a3201b',
  paperTint: '#f4efe4',
  white: '#ffffff',
} as const;

/** Body copy: 9.6 pt on 13.4 pt leading, the size magazines set two columns at. */
export const BODY = { size: 9.6, leading: 13.4, indent: 11 } as const;

export function columnWidth(totalWidth: number, count: number, gap: number): number {
  return (totalWidth - gap * (count - 1)) / count;
}
