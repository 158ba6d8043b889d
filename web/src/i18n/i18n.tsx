import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { vi, type MessageKey } from './vi.ts';
import { en } from './en.ts';
import { formatDate, formatDateTime } from './format.ts';

export type { MessageKey };
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

type Catalogue = Partial<Record<MessageKey, string>>;
/** vi.ts and en.ts from the start; the pages' messages once features.ts is loaded (addMessages). */
const CATALOGUES: Record<Lang, Catalogue> = { vi: { ...vi }, en: { ...en } };

/** Adds messages to the catalogues (features.ts, when the code of the pages behind the login arrives); the shell's own keep their text. */
export function addMessages(viMessages: Catalogue, enMessages: Catalogue): void {
  CATALOGUES.vi = { ...viMessages, ...CATALOGUES.vi };
  CATALOGUES.en = { ...enMessages, ...CATALOGUES.en };
}
const STORAGE_KEY = 'vanthu.lang';

type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** dd/MM/yyyy in Asia/Ho_Chi_Minh. */
  date: (value: string | Date | null | undefined) => string;
  /** dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh. */
  dateTime: (value: string | Date | null | undefined) => string;
};

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // storage can be blocked (private mode); Vietnamese is the default anyway
  }
  return 'vi';
}

/** Whether a computed key (e.g. `auditEvent.${type}`) is in the catalogue. */
export function hasKey(key: string): key is MessageKey {
  return key in CATALOGUES.vi;
}

/** Fills `{name}` placeholders; an unknown key falls back to Vietnamese, then to the key itself. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = CATALOGUES[lang][key] ?? CATALOGUES.vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Provides the language, the translate function and date formatting to the whole app. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the choice still applies to this tab
    }
  }, []);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang,
    t: (key, params) => translate(lang, key, params),
    date: (v) => formatDate(v),
    dateTime: (v) => formatDateTime(v),
  }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, `t` and the date formatters. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
