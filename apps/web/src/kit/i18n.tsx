import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { CLEARANCE_LABEL_VI, LEVEL_TABLE, ROLE_TABLE, type Clearance, type Role } from '@khomat/policy';
import { vi } from './dict.vi';
import { en } from './dict.en';
import { ApiError } from './api';

export type Lang = 'vi' | 'en';
export type MessageKey = keyof typeof vi;
type Params = Record<string, string | number>;

const DICTS: Record<Lang, Record<MessageKey, string>> = { vi, en };
const STORAGE_KEY = 'khomat.lang';

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  roleLabel: (r: Role) => string;
  clearanceLabel: (c: Clearance) => string;
  actionLabel: (code: string) => string;
  subjectTypeLabel: (type: string) => string;
  detailLabel: (key: string) => string;
  /** A coded detail value (e.g. stage `enrol`) in words, or null when unknown. */
  detailValue: (key: string, value: string) => string | null;
  /** The words for a coded value (`<prefix>.<code>` in the dictionary), or the code itself. */
  codeLabel: (prefix: string, code: string) => string;
  errorText: (err: unknown) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  useEffect(() => {
    document.documentElement.lang = lang;
    dayjs.locale(lang === 'vi' ? 'vi' : 'en');
  }, [lang]);

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Storage may be disabled by policy; the choice then lasts for this page only.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = DICTS[lang];
    const t = (key: MessageKey, params?: Params) => interpolate(dict[key], params);
    const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(dict, key);
    return {
      lang,
      setLang,
      t,
      roleLabel: (r) => (ROLE_TABLE[r] ? (lang === 'vi' ? ROLE_TABLE[r].labelVi : ROLE_TABLE[r].labelEn) : r),
      clearanceLabel: (c) => {
        if (lang === 'vi') return CLEARANCE_LABEL_VI[c] ?? c;
        return c === 'NONE' ? 'None' : (LEVEL_TABLE[c]?.labelEn ?? c);
      },
      actionLabel: (code) => {
        const key = `action.${code}`;
        return has(key) ? dict[key] : code;
      },
      subjectTypeLabel: (type) => {
        const key = `subject.${type}`;
        return has(key) ? dict[key] : type;
      },
      detailLabel: (name) => {
        const key = `detail.${name}`;
        return has(key) ? dict[key] : name;
      },
      detailValue: (name, value) => {
        const key = `value.${name}.${value}`;
        return has(key) ? dict[key] : null;
      },
      codeLabel: (prefix, code) => {
        const key = `${prefix}.${code}`;
        return has(key) ? dict[key] : code;
      },
      errorText: (err) => {
        if (err instanceof ApiError) {
          if (err.fromServer) return err.message;
          const key = `error.${err.code}`;
          return has(key) ? dict[key] : dict['error.client.bad_response'];
        }
        return dict['error.client.bad_response'];
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
