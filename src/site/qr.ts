// QR codes for the print view, as inline SVG that CSS sizes (viewBox, no width/height).
// The library draws the modules; the <svg> element around them is written here, so the only
// library output that reaches the page is path data checked to be digits and path commands,
// and the only caller-supplied string (the label) goes through escapeAttr.
import QRCode from 'qrcode';
import { escapeAttr } from '../content/escape.ts';

// The exact shape qrcode's SVG renderer emits for opaque black on white. Anything else (a
// library upgrade that changes its output) fails loudly here rather than reaching a page.
const LIBRARY_SVG =
  /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d{1,4}) \1" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h\1v\1H0z"\/><path stroke="#000000" d="([Mmh0-9. ]+)"\/><\/svg>\s*$/;

export async function qrSvg(text: string, label?: string): Promise<string> {
  const svg = await QRCode.toString(text, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2, // modules of quiet zone; the page's white space adds the rest
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
  const m = LIBRARY_SVG.exec(svg);
  if (!m) throw new Error('qrcode produced SVG in an unexpected shape');
  const [, size, modules] = m;
  const name = escapeAttr(label ?? `QR code: ${text}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${name}" shape-rendering="crispEdges">` +
    `<path fill="#fff" d="M0 0h${size}v${size}H0z"/><path stroke="#000" d="${modules}"/></svg>`
  );
}
