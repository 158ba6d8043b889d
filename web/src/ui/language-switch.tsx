import { SegmentedControl } from '@mantine/core';
import { LANGS, useI18n, type Lang } from '../i18n/i18n.tsx';

const isLang = (v: string): v is Lang => (LANGS as readonly string[]).includes(v);

/** Switches the interface language (persisted in this browser). */
export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <SegmentedControl
      size={size}
      value={lang}
      onChange={(v) => isLang(v) && setLang(v)}
      aria-label={t('lang.label')}
      data={[{ value: 'vi', label: 'Tiếng Việt' }, { value: 'en', label: 'English' }]}
    />
  );
}
