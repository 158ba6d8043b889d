import { useEffect, useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';

const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** dd/MM/yyyy → yyyy-MM-dd, or null when the text is not a real calendar date. */
export function parseVnDate(text: string): string | null {
  const m = VN_DATE.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const toVn = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/**
 * A date typed the Vietnamese way (dd/MM/yyyy) whatever the browser's locale; the value is ISO
 * (yyyy-MM-dd, '' when empty). A text that is not a date keeps the last valid value and shows `invalidMessage`.
 */
export function VnDateInput({ value, onChange, invalidMessage, ...props }: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (iso: string) => void; invalidMessage: string }) {
  const [text, setText] = useState(toVn(value));
  useEffect(() => {
    if (parseVnDate(text) !== value && !(value === '' && text.trim() === '')) setText(toVn(value));
  }, [value]); // follow outside changes only
  const isInvalid = text.trim() !== '' && parseVnDate(text) === null;
  return (
    <TextInput {...props} placeholder="dd/mm/yyyy" inputMode="numeric" value={text} error={props.error ?? (isInvalid ? invalidMessage : undefined)}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        if (next.trim() === '') onChange('');
        else {
          const iso = parseVnDate(next);
          if (iso) onChange(iso);
        }
      }} />
  );
}
