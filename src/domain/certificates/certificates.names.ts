/**
 * Whether a personal certificate names the user it is registered to. Vietnamese CAs put the holder's
 * name in the subject's CN, sometimes in capitals or with extra text («NGUYỄN VĂN AN (USB token)»,
 * «Nguyễn Văn An - 0123456789»); some older tools drop the diacritics («Nguyen Van An»).
 */

/** The CN of a subject as Node's X509Certificate prints it (one «KEY=value» per line) or as stored (lines joined by «, »), or '' when it has none. */
export function commonNameOf(subject: string): string {
  const line = subject.split(/\n|, (?=[A-Za-z][A-Za-z0-9.]*=)/).find((l) => l.startsWith('CN='));
  return line ? line.slice(3).trim() : '';
}

/** NFC, lower case, words only (punctuation and runs of spaces become one space). */
const words = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
/** The same without diacritics: đ is d, tones and vowel marks go. */
const bare = (s: string) => words(s).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
const containsWords = (haystack: string, needle: string) => needle !== '' && ` ${haystack} `.includes(` ${needle} `);

/** True when the certificate's CN holds the user's full name as whole words (exactly, then without diacritics). */
export function isCertificateOfUser(commonName: string, fullName: string): boolean {
  return containsWords(words(commonName), words(fullName)) || containsWords(bare(commonName), bare(fullName));
}
