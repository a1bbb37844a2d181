import { useNavigate } from 'react-router-dom';
import { Button, Dropdown } from 'antd';
import { DownOutlined, FileAddOutlined } from '@ant-design/icons';
import { useCan } from '../../kit/auth';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { REQUEST_TYPES } from './requests';

/**
 * "Lập đề nghị" on an item's page: the kinds of request one may lodge about a classified item
 * (sao, chụp, trích sao; cung cấp, chuyển giao; mang ra khỏi nơi lưu giữ), each opening the form.
 * Shown to those with the request permission; whether the request may go ahead (copy-forbidden,
 * clearance) is the server's answer when it is sent.
 */
export function RequestMenu({ item }: { item: { id: string; level: string | null } }) {
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  if (!item.level || !can('request.create')) return null;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: REQUEST_TYPES.map((type) => ({ key: type, label: t(`request.type.${type}` as MessageKey) })),
        onClick: ({ key }) => navigate(`/requests/new?item=${encodeURIComponent(item.id)}&type=${key}`),
      }}
    >
      <Button icon={<FileAddOutlined aria-hidden="true" />}>
        {t('requestForm.lodge')} <DownOutlined aria-hidden="true" />
      </Button>
    </Dropdown>
  );
}
