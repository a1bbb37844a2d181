import { foldForSearch } from '@khomat/policy';
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import type { I18n } from './i18n';

// Form rules shared by several screens; messages come from the dictionaries.

export function requiredRule(i: I18n, field: string, select = false): Rule {
  return {
    required: true,
    whitespace: !select,
    message: i.t(select ? 'common.selectRequired' : 'common.required', { field: field.toLocaleLowerCase(i.lang) }),
  };
}

/** Server rule (docs/api.md): at least 10 characters with letters and digits. */
export function passwordRules(i: I18n, field: string): Rule[] {
  return [
    { required: true, message: i.t('common.required', { field: field.toLocaleLowerCase(i.lang) }) },
    {
      validator: async (_r, value: unknown) => {
        if (typeof value !== 'string' || value === '') return;
        if (value.length < 10) throw new Error(i.t('password.tooShort'));
        if (!/\p{L}/u.test(value) || !/\d/.test(value)) throw new Error(i.t('password.needLetterDigit'));
      },
    },
  ];
}

/** The "repeat password" field must equal the field `other`. */
export function confirmRules(i: I18n, other: string): Rule[] {
  return [
    { required: true, message: i.t('password.confirmRequired') },
    ({ getFieldValue }) => ({
      validator: async (_r, value: unknown) => {
        if (!value || getFieldValue(other) === value) return;
        throw new Error(i.t('password.mismatch'));
      },
    }),
  ];
}

export const USERNAME_RE = /^[A-Za-z0-9._-]{3,64}$/;
/** Same rule as the server's unit code: letters, digits, dot, underscore, hyphen. */
export const CODE_RE = /^[\p{L}\p{N}._-]{1,32}$/u;

/** A required number (InputNumber): "Vui lòng nhập …" without the text-only whitespace check. */
export function requiredNumberRule(i: I18n, field: string): Rule {
  return { required: true, type: 'number', message: i.t('common.required', { field: field.toLocaleLowerCase(i.lang) }) };
}

/** A required date (DatePicker, whose value is a dayjs object). */
export function requiredDateRule(i: I18n, field: string): Rule {
  return { required: true, type: 'object', message: i.t('common.selectRequired', { field: field.toLocaleLowerCase(i.lang) }) };
}

/**
 * A Select's `showSearch` that matches the option label ignoring diacritics and case, so that
 * «hop tac» finds «Phòng Hợp tác quốc tế» as the server-side searches do.
 */
export const foldedSearch = {
  filterOption: (input: string, option?: { label?: unknown }) => foldForSearch(String(option?.label ?? '')).includes(foldForSearch(input)),
};

/** An end date field that may not fall before the start date held in `fromField` (same day allowed). */
export function notBeforeRule(fromField: string, message: string): Rule {
  return ({ getFieldValue }) => ({
    validator: async (_r, value: Dayjs | null | undefined) => {
      const from = getFieldValue(fromField) as Dayjs | null | undefined;
      if (value && from && value.isBefore(from, 'day')) throw new Error(message);
    },
  });
}

/**
 * A DatePicker's onKeyDown: Enter takes the date typed in the field, and does not also submit the
 * form — which would send the value the field held before (a date entered for the record, such as
 * the day a paper arrived, would silently become today's).
 */
export function enterTakesTypedDate(e: { key: string; preventDefault: () => void }): void {
  if (e.key === 'Enter') e.preventDefault();
}
