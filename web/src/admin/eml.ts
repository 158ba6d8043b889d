/**
 * Readable text of a single-part .eml as the server's outbox writes it (text/plain, quoted-printable
 * or base64, UTF-8): null for multipart or other encodings, where only the raw source is shown.
 */
export function readableEmlBody(eml: string): string | null {
  const split = eml.search(/\r?\n\r?\n/);
  if (split < 0) return null;
  const headers = eml.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = eml.slice(split).replace(/^\r?\n\r?\n/, '');
  if (/^content-type:\s*multipart\//im.test(headers)) return null;
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(headers)?.[1]?.toLowerCase() ?? '7bit';
  const decoder = new TextDecoder('utf-8');
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(soft.charCodeAt(i) & 0xff);
      }
    }
    return decoder.decode(new Uint8Array(bytes));
  }
  if (encoding === 'base64') {
    const binary = atob(body.replace(/\s+/g, ''));
    return decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }
  return ['7bit', '8bit'].includes(encoding) ? body : null;
}
