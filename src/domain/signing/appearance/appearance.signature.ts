import { appearanceInvalid } from './appearance.errors.ts';
import { imageObjects, imageSize, opacityParts, prepareImage } from './appearance.image.ts';
import { formXObject, num } from './appearance.pdf.ts';
import { fontResources, layoutText, renderText } from './appearance.text.ts';
import type { TextAppearanceOptions, TextLine } from './appearance.text.ts';
import type { Allocator, AppearanceResult, Box, PdfObject } from './appearance.types.ts';

export type SignatureLayout = 'image' | 'text' | 'image-left' | 'image-top';

export type SignatureAppearanceOptions = {
  /** Widget size in points. */
  width: number;
  height: number;
  layout: SignatureLayout;
  image?: { png: Uint8Array; opacity?: number };
  lines?: TextLine[];
  /** Text styling (size, font, colour, alignment…); the text box is the part the image leaves. */
  text?: Omit<TextAppearanceOptions, 'lines' | 'width' | 'height'>;
  /** Share of the width ('image-left') or height ('image-top') given to the image; default 0.4 / 0.65. */
  imageShare?: number;
};

function fitContain(imgW: number, imgH: number, box: Box): Box {
  const k = Math.min(box.width / imgW, box.height / imgH);
  const w = imgW * k;
  const h = imgH * k;
  return { x: box.x + (box.width - w) / 2, y: box.y + (box.height - h) / 2, width: w, height: h };
}

function split(o: SignatureAppearanceOptions): { img: Box | null; txt: Box | null } {
  const full: Box = { x: 0, y: 0, width: o.width, height: o.height };
  if (o.layout === 'image') return { img: full, txt: null };
  if (o.layout === 'text') return { img: null, txt: full };
  if (o.layout === 'image-left') {
    const w = o.width * (o.imageShare ?? 0.4);
    return { img: { x: 0, y: 0, width: w, height: o.height }, txt: { x: w, y: 0, width: o.width - w, height: o.height } };
  }
  const h = o.height * (o.imageShare ?? 0.65);
  return { img: { x: 0, y: o.height - h, width: o.width, height: h }, txt: { x: 0, y: 0, width: o.width, height: o.height - h } };
}

/**
 * Builds one Form XObject combining a PNG (kept in proportion, centred in its part) and Vietnamese text
 * lines, for a signature widget. Throws signing.appearance_invalid, signing.image_invalid, signing.font_missing_glyph.
 */
export function buildSignatureAppearance(o: SignatureAppearanceOptions, alloc: Allocator): AppearanceResult {
  if (!(o.width > 0 && o.height > 0)) throw appearanceInvalid({ width: o.width, height: o.height });
  const parts = split(o);
  const form = alloc();
  const objects: PdfObject[] = [];
  const ops: string[] = [];
  let res = '';
  if (parts.img && o.image) {
    const img = prepareImage(o.image.png);
    const size = imageSize(img);
    const at = fitContain(size.width, size.height, parts.img);
    const image = imageObjects(img, alloc);
    const gs = opacityParts(o.image.opacity);
    objects.push(...image.objects);
    ops.push(`q ${gs.op}${num(at.width)} 0 0 ${num(at.height)} ${num(at.x)} ${num(at.y)} cm /Im1 Do Q`);
    res += `/XObject << /Im1 ${image.ref} 0 R >> ${gs.res} `;
  }
  if (parts.txt && o.lines && o.lines.length > 0) {
    const style = o.text ?? { fontSize: 10 };
    const layout = layoutText({ ...style, lines: o.lines, width: parts.txt.width, height: parts.txt.height });
    const rendered = renderText(layout, style.color ?? '#000000', alloc, parts.txt.x, parts.txt.y);
    objects.push(...rendered.objects);
    ops.push(rendered.ops);
    res += fontResources(rendered.fonts);
  }
  const resources = `<< ${res}/ProcSet [/PDF /Text /ImageC /ImageB] >>`;
  return { objects: [formXObject(form, o.width, o.height, resources, ops.join('\n')), ...objects], xobject: form, width: o.width, height: o.height };
}
