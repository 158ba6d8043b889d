/**
 * The reading order of a scanned page's header. An administrative document (Nghị định 30/2020, Phụ lục I)
 * opens with two columns side by side: on the left the governing body, the issuing body and «Số: …/…»
 * (ô 1–3, and a công văn's «V/v …», ô 5b), on the right the national motto and the place-date line (ô 4).
 * Tesseract reads the two as one line each, and pdftotext then gives «UBND HUYỆN … CỘNG HÒA XÃ HỘI …»,
 * or the right column's last word first: nothing above «Số:» is the issuer any more. From the words'
 * positions, the header is cut at the blank channel between the columns and written left column first,
 * then the right one, then the rest of the page; every word is kept.
 */
export type PageWord = { xMin: number; yMin: number; xMax: number; yMax: number; text: string };

/** The words of each page of `pdftotext -bbox` output (XHTML), with the page's width. */
export function parseBboxPages(xhtml: string): { width: number; words: PageWord[] }[] {
  return [...xhtml.matchAll(/<page width="([\d.]+)" height="[\d.]+">([\s\S]*?)<\/page>/g)].map((page) => ({
    width: Number(page[1]),
    words: [...(page[2] ?? '').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: decodeXml(m[5] ?? ''),
    })),
  }));
}

const decodeXml = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');

// a word that counts for the layout: two letters or digits («Số:», «12/UBND»), not a speck read as «`» or «-»
const isWord = (w: PageWord) => (w.text.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2;
const midY = (w: PageWord) => (w.yMin + w.yMax) / 2;
// lines a header's channel may have across it: a speck read as a word, the end of a long name
const MAX_CROSSED = 2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The text of a page read header-first — the left column's lines, the right column's, then the rest — or
 * null when the page has no two-column header: a channel, wider than a space between words, from the top of
 * the page down at least two lines, with words on both sides.
 */
export function headerFirstText(page: { width: number; words: readonly PageWord[] }): string | null {
  const lineHeight = median(page.words.filter(isWord).map((w) => w.yMax - w.yMin));
  const lines = textLines(page.words, lineHeight);
  const band = lineHeight * 0.75;
  // the channel: the band the fewest lines lie across, the deepest of those
  let best = { depth: 0, crossed: Infinity, from: 0, to: 0 };
  for (let x = Math.round(page.width * 0.25); x <= page.width * 0.65; x += 1) {
    const { depth, crossed } = channelDepth(lines, x, x + band);
    if (depth < 2) continue;
    if (crossed < best.crossed || (crossed === best.crossed && depth > best.depth)) best = { depth, crossed, from: x, to: x };
    else if (depth === best.depth && crossed === best.crossed && best.to === x - 1) best.to = x;
  }
  const channel = (best.from + best.to + band) / 2;
  const header = lines.slice(0, best.depth);
  const isLeft = (w: PageWord) => (w.xMin + w.xMax) / 2 < channel;
  const left = header.map((l) => l.filter(isLeft)).filter((l) => l.length > 0);
  const right = header.map((l) => l.filter((w) => !isLeft(w))).filter((l) => l.length > 0);
  const count = (part: PageWord[][]) => part.flat().filter(isWord).length;
  if (best.crossed > MAX_CROSSED || best.depth >= lines.length || count(left) < 2 || count(right) < 2) return null;
  return [...left, ...right, ...lines.slice(best.depth)].map((l) => l.map((w) => w.text).join(' ')).join('\n');
}

// How many lines from the top of the page a band from x to x2 runs down before two lines in a row have a word
// across it, and how many lines above that it crosses: a word across it alone (a speck read as «Vu», the end of
// a long name) is not the end of the header, the body's lines are.
function channelDepth(lines: readonly PageWord[][], x: number, x2: number): { depth: number; crossed: number } {
  const crosses = lines.map((l) => l.some((w) => isWord(w) && w.xMin < x2 && w.xMax > x));
  const depth = crosses.findIndex((c, i) => c && crosses[i + 1]);
  const end = depth < 0 ? lines.length : depth;
  return { depth: end, crossed: crosses.slice(0, end).filter(Boolean).length };
}

/**
 * Words put into lines, top to bottom, each left to right. A word joins the line whose last word is beside
 * it at the same height, the nearest if several — compared word to word, so the lines of a page scanned a degree askew stay apart.
 * Lines without a word of two letters or digits (specks read as «¬», «`») are left out of the count but kept.
 */
function textLines(words: readonly PageWord[], lineHeight: number): PageWord[][] {
  const lines: PageWord[][] = [];
  for (const word of [...words].sort((a, b) => a.xMin - b.xMin)) {
    const candidates = lines.filter((l) => {
      const last = l.at(-1);
      return last && last.xMax <= word.xMin + lineHeight && Math.abs(midY(last) - midY(word)) < lineHeight * 0.5;
    });
    // the nearest: a speck read as «:» a little higher up must not take the words after «V/v» from it
    const distance = (l: PageWord[]) => Math.abs(word.xMin - l.at(-1)!.xMax) + 2 * Math.abs(midY(l.at(-1)!) - midY(word));
    const line = candidates.sort((a, b) => distance(a) - distance(b))[0];
    if (line) line.push(word);
    else lines.push([word]);
  }
  const lineY = (l: PageWord[]) => l.reduce((sum, w) => sum + midY(w), 0) / l.length;
  return lines.sort((a, b) => lineY(a) - lineY(b));
}
