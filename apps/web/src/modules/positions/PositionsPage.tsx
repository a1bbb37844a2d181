import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { POSITION_KINDS, type PositionKind } from '@khomat/policy';
import { api } from '../../kit/api';
import { DataTable } from '../../kit/DataTable';
import { useI18n, type MessageKey } from '../../kit/i18n';
import type { Position } from '../../kit/types';
import { FormModal, PageTitle } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';
import { POSITIONS_KEY, usePositions } from '../users/usePositions';
import { useUsers } from '../users/useUsers';
import { holdersByUnit, nameTaken, sortPositions } from './positions';

type Dialog = { kind: 'create' } | { kind: 'rename'; position: Position } | null;

const kindKey = (k: PositionKind) => `position.kind.${k}` as MessageKey;

/**
 * "Chức vụ": the agency's list of position titles for the administrator — each of a kind the
 * authority table knows (packages/policy positions.ts), with who holds it, unit by unit. A title is
 * created and renamed here; giving it to a person is "Giao chức vụ" on the users screen.
 */
export function PositionsPage() {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const positions = usePositions();
  const users = useUsers({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const list = useMemo(() => sortPositions(positions.data ?? []), [positions.data]);
  const byUnit = useMemo(() => holdersByUnit(users.data ?? []), [users.data]);

  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: POSITIONS_KEY });
    void message.success(text);
  };
  const nameRules = (exceptId?: string) => [
    requiredRule(i, t('position.name')),
    {
      validator: async (_r: unknown, v: string | undefined) => {
        if (v && nameTaken(list, v, exceptId)) throw new Error(t('position.nameTaken'));
      },
    },
  ];

  const columns: ColumnsType<Position> = [
    { title: t('position.name'), dataIndex: 'name', key: 'name', render: (_v, p) => <span className="position-name">{p.name}</span> },
    { title: t('position.kind'), key: 'kind', width: 300, render: (_v, p) => t(kindKey(p.kind)) },
    {
      title: t('position.holders'),
      key: 'holders',
      render: (_v, p) => {
        const units = byUnit.get(p.id) ?? [];
        if (p.holders === 0) return <span className="muted">{t('position.noHolders')}</span>;
        return (
          <ul className="position-units">
            {units.map((u) => (
              <li key={u.unit}>{t('position.inUnit', { unit: u.unit, count: u.count })}</li>
            ))}
            {units.length === 0 ? <li>{t('position.holderCount', { count: p.holders })}</li> : null}
          </ul>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_v, p) => (
        <Button
          type="link"
          size="small"
          icon={<EditOutlined aria-hidden="true" />}
          onClick={() => setDialog({ kind: 'rename', position: p })}
          aria-label={t('position.renameFor', { name: p.name })}
        >
          {t('position.rename')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('position.title')}
        intro={t('position.intro')}
        extra={
          <>
            <Button icon={<TeamOutlined aria-hidden="true" />} onClick={() => navigate('/users')}>
              {t('position.toUsers')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'create' })}>
              {t('position.add')}
            </Button>
          </>
        }
      />
      <DataTable<Position>
        className="positions-table"
        caption={t('position.caption')}
        error={positions.error ?? users.error}
        rowKey="id"
        columns={columns}
        dataSource={list}
        loading={positions.isPending}
        empty={t('position.empty')}
        plainEmpty
      />

      <FormModal<{ name: string; kind: PositionKind }>
        open={dialog?.kind === 'create'}
        title={t('position.createTitle')}
        submitText={t('common.create')}
        onClose={() => setDialog(null)}
        initialValues={{ kind: 'staff' }}
        onSubmit={async (v) => {
          await api.post<Position>('/positions', { name: v.name.trim(), kind: v.kind });
          await done(t('position.created'));
        }}
      >
        <Form.Item name="name" label={t('position.name')} rules={nameRules()}>
          <Input maxLength={120} autoFocus placeholder={t('position.namePh')} />
        </Form.Item>
        <Form.Item name="kind" label={t('position.kind')} extra={t('position.kindHint')} rules={[requiredRule(i, t('position.kind'), true)]}>
          <Select options={POSITION_KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }))} />
        </Form.Item>
      </FormModal>

      <FormModal<{ name: string }>
        open={dialog?.kind === 'rename'}
        title={dialog?.kind === 'rename' ? t('position.renameTitle', { name: dialog.position.name }) : ''}
        submitText={t('common.save')}
        onClose={() => setDialog(null)}
        initialValues={dialog?.kind === 'rename' ? { name: dialog.position.name } : {}}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'rename') return;
          if (v.name.trim() !== dialog.position.name)
            await api.patch<Position>(`/positions/${encodeURIComponent(dialog.position.id)}`, { name: v.name.trim() });
          await done(t('position.renamed'));
        }}
      >
        <Form.Item
          name="name"
          label={t('position.name')}
          extra={dialog?.kind === 'rename' ? t('position.renameHint', { kind: t(kindKey(dialog.position.kind)) }) : undefined}
          rules={nameRules(dialog?.kind === 'rename' ? dialog.position.id : undefined)}
        >
          <Input maxLength={120} autoFocus />
        </Form.Item>
      </FormModal>
    </>
  );
}
