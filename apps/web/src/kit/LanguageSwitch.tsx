import { Segmented } from 'antd';
import { useI18n, type Lang } from './i18n';

export function LanguageSwitch({ dark }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <div className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'} role="group" aria-label={t('lang.label')}>
      <Segmented<Lang>
        size="small"
        value={lang}
        onChange={(v) => setLang(v)}
        options={[
          { value: 'vi', label: <span lang="vi">VI</span>, title: t('lang.vi') },
          { value: 'en', label: <span lang="en">EN</span>, title: t('lang.en') },
        ]}
      />
    </div>
  );
}
