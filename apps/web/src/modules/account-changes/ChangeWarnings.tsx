import { Alert } from 'antd';
import { useI18n } from '../../kit/i18n';
import { warningTexts } from './changes';

/**
 * Top of "Xác nhận thay đổi tài khoản" and "Người dùng": says when nobody can confirm some
 * changes (no confirmed security officer, or no confirmed agency head), so that the administrator
 * does not wait for a confirmation that cannot come.
 */
export function ChangeWarnings({ warnings }: { warnings: readonly string[] | null | undefined }) {
  const i = useI18n();
  const texts = warningTexts(i, warnings);
  if (texts.length === 0) return null;
  return (
    <Alert
      className="change-warnings"
      type="warning"
      showIcon
      title={i.t('changes.warningsTitle')}
      description={
        texts.length === 1 ? (
          texts[0]
        ) : (
          <ul className="change-warnings-list">
            {texts.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
