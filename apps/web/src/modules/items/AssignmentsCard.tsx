import { useState } from 'react';
import { App, Button, Card, Form } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, UserAddOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useMe } from '../../kit/auth';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { Item, ItemAssignment } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ErrorAlert } from '../../kit/ui';
import { PersonPicker } from '../people/PersonPicker';

/**
 * "Phân công cần biết": the head of a unit that holds the item lets a colleague of that unit read
 * its content (POST/DELETE /api/items/:id/assignments). The server decides who may be assigned
 * and answers a refusal in Vietnamese, which is shown as it comes.
 */
export function AssignmentsCard({
  item,
  assignments,
  canAssign,
  onChanged,
}: {
  item: Item;
  assignments: readonly ItemAssignment[];
  canAssign: boolean;
  onChanged: () => Promise<void>;
}) {
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ userId?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const level = item.level ?? item.proposedLevel;

  const assign = async (userId: string) => {
    setBusy('add');
    setError(null);
    try {
      await api.post(`/items/${item.id}/assignments`, { userId });
      form.resetFields();
      await onChanged();
      void message.success(t('assign.done'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const revoke = (a: ItemAssignment) =>
    modal.confirm({
      title: t('assign.revokeTitle', { name: a.name }),
      content: t('assign.revokeConfirm'),
      okText: t('assign.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(a.userId);
        setError(null);
        try {
          await api.delete(`/items/${item.id}/assignments/${encodeURIComponent(a.userId)}`);
          await onChanged();
          void message.success(t('assign.revoked'));
        } catch (e) {
          setError(e);
        } finally {
          setBusy(null);
        }
      },
    });

  const columns: ColumnsType<ItemAssignment> = [
    { title: t('assign.person'), key: 'name', render: (_v, a) => <strong>{a.name}</strong> },
    { title: t('assign.by'), key: 'by', width: 200, render: (_v, a) => a.assignedBy.name },
    { title: t('assign.at'), key: 'at', width: 170, render: (_v, a) => <span className="nowrap">{formatDateTime(a.assignedAt)}</span> },
  ];
  if (canAssign) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_v, a) => (
        <Button
          size="small"
          danger
          icon={<DeleteOutlined aria-hidden="true" />}
          loading={busy === a.userId}
          onClick={() => revoke(a)}
          aria-label={t('assign.revokeFor', { name: a.name })}
        >
          {t('assign.revoke')}
        </Button>
      ),
    });
  }

  return (
    <Card className="card-gap assignments-card" title={<h2 className="card-h2">{t('assign.title')}</h2>}>
      <p className="muted">{t('assign.hint')}</p>
      {item.addresseeOnly ? (
        <p className="assign-blocked">{t('assign.addresseeOnly')}</p>
      ) : canAssign ? (
        <Form form={form} name="assign" layout="vertical" requiredMark onFinish={(v) => v.userId && void assign(v.userId)} className="assign-form">
          <Form.Item
            name="userId"
            label={t('assign.pick')}
            extra={t('assign.pickHint', { unit: me.unitName })}
            rules={[{ required: true, message: t('common.selectRequired', { field: t('assign.person').toLocaleLowerCase(i.lang) }) }]}
          >
            <PersonPicker unitId={me.unitId} level={level} exclude={[me.id, ...assignments.map((a) => a.userId)]} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<UserAddOutlined aria-hidden="true" />} loading={busy === 'add'}>
            {t('assign.submit')}
          </Button>
        </Form>
      ) : null}
      <div aria-live="polite">
        <ErrorAlert error={error} />
      </div>
      <DataTable<ItemAssignment>
        className="assignments-table card-gap-sm"
        caption={t('assign.caption')}
        rowKey="userId"
        size="small"
        columns={columns}
        dataSource={[...assignments]}
        empty={t('assign.empty')}
      />
    </Card>
  );
}
