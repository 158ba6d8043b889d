import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { appearanceInvalid } from './appearance.errors.ts';
import { formXObject, num, streamObject } from './appearance.pdf.ts';
import { decodePng } from './appearance.png.ts';
import type { Allocator, AppearanceResult, PdfObject } from './appearance.types.ts';

/** A PNG turned into compressed PDF image data, cached per PNG content. */
export type PreparedImage = {
  width: number;
  height: number;
  channels: 1 | 3;
  color: Uint8Array;
  alpha: Uint8Array | null;
  /** Natural size in points from pHYs, or null when the file does not say. */
  naturalSize: { width: number; height: number } | null;
  hasTransparency: boolean;
};

const cache = new Map<string, PreparedImage>();
const CACHE_LIMIT = 64;

/** Decodes and compresses a PNG once per distinct content (signer/seal images repeat across signatures). Throws signing.image_invalid. */
export function prepareImage(png: Uint8Array): PreparedImage {
  const key = createHash('sha256').update(png).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const d = decodePng(png);
  const ppm = d.pixelsPerMetre;
  const prepared: PreparedImage = {
    width: d.width,
    height: d.height,
    channels: d.channels,
    color: deflateSync(d.color),
    alpha: d.alpha === null ? null : deflateSync(d.alpha),
    naturalSize: ppm && ppm.x > 0 && ppm.y > 0
      ? { width: (d.width / ppm.x) * (72 / 0.0254), height: (d.height / ppm.y) * (72 / 0.0254) }
      : null,
    hasTransparency: d.alpha !== null,
  };
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, prepared);
  return prepared;
}

/** Image XObject objects (+ /SMask for alpha) for a prepared image; returns the image's object number. */
export function imageObjects(img: PreparedImage, alloc: Allocator): { objects: PdfObject[]; ref: number } {
  const ref = alloc();
  const objects: PdfObject[] = [];
  let smask = '';
  if (img.alpha) {
    const maskRef = alloc();
    objects.push(streamObject(maskRef, `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceGray /BitsPerComponent 8 >>`, img.alpha, { alreadyDeflated: true }));
    smask = ` /SMask ${maskRef} 0 R`;
  }
  const cs = img.channels === 1 ? '/DeviceGray' : '/DeviceRGB';
  objects.unshift(streamObject(ref, `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace ${cs} /BitsPerComponent 8${smask} /Interpolate true >>`, img.color, { alreadyDeflated: true }));
  return { objects, ref };
}

export type ImageAppearanceOptions = {
  png: Uint8Array;
  /** Size in points. With one side only, the other keeps the aspect ratio; with neither, the pHYs size (else 96 dpi). */
  width?: number;
  height?: number;
  /** 0..1, default 1. */
  opacity?: number;
};

/** Resolves the drawn size of an image from the options, keeping its aspect ratio when one side is given. */
export function imageSize(img: PreparedImage, width?: number, height?: number): { width: number; height: number } {
  const aspect = img.width / img.height;
  if (width !== undefined && height !== undefined) return { width, height };
  if (width !== undefined) return { width, height: width / aspect };
  if (height !== undefined) return { width: height * aspect, height };
  return img.naturalSize ?? { width: img.width * 0.75, height: img.height * 0.75 };
}

/** The `/ExtGState` resource text and operator for an opacity below 1 (empty when fully opaque). */
export function opacityParts(opacity: number | undefined): { res: string; op: string } {
  if (opacity === undefined || opacity >= 1) return { res: '', op: '' };
  if (!(opacity >= 0)) throw appearanceInvalid({ opacity });
  return { res: `/ExtGState << /GS1 << /Type /ExtGState /ca ${num(opacity)} /CA ${num(opacity)} >> >>`, op: '/GS1 gs ' };
}

/**
 * Builds a Form XObject showing a PNG (alpha kept through an /SMask) at the given size.
 * Throws signing.image_invalid (bad PNG), signing.appearance_invalid (bad size/opacity).
 */
export function buildImageAppearance(opts: ImageAppearanceOptions, alloc: Allocator): AppearanceResult {
  const img = prepareImage(opts.png);
  const size = imageSize(img, opts.width, opts.height);
  if (!(size.width > 0 && size.height > 0)) throw appearanceInvalid({ width: opts.width, height: opts.height });
  const form = alloc();
  const image = imageObjects(img, alloc);
  const gs = opacityParts(opts.opacity);
  const content = `q ${gs.op}${num(size.width)} 0 0 ${num(size.height)} 0 0 cm /Im1 Do Q`;
  const resources = `<< /XObject << /Im1 ${image.ref} 0 R >> ${gs.res} /ProcSet [/PDF /ImageC /ImageB] >>`;
  return { objects: [formXObject(form, size.width, size.height, resources, content), ...image.objects], xobject: form, width: size.width, height: size.height };
}
