import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Space, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, FolderOpenOutlined, PlusOutlined, StopOutlined, SwapOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useCan, useMe } from '../../kit/auth';
import { formatDate } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import { UNITS_KEY, useUnits } from '../../kit/queries';
import type { Unit } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ReasonField } from '../../kit/fields';
import { FormModal, PageTitle } from '../../kit/ui';
import { CODE_RE, requiredRule } from '../../kit/validation';
import { mayReadHoldings } from './holdings';
import { buildUnitTree, subtreeIds, unitTreeOptions, type UnitNode } from './tree';

type Dialog =
  { kind: 'create'; parentId: string | null } | { kind: 'rename'; unit: Unit } | { kind: 'move'; unit: Unit } | { kind: 'close'; unit: Unit } | null;

/** A unit's name and code, as asked when it is created and when it is renamed. */
function NameCodeFields() {
  const i = useI18n();
  const { t } = i;
  return (
    <>
      <Form.Item name="name" label={t('units.name')} rules={[requiredRule(i, t('units.name'))]}>
        <Input maxLength={200} autoFocus />
      </Form.Item>
      <Form.Item name="code" label={t('units.code')} rules={[requiredRule(i, t('units.code')), { pattern: CODE_RE, message: t('units.codeFormat') }]}>
        <Input maxLength={32} />
      </Form.Item>
    </>
  );
}

export function UnitsPage() {
  const i = useI18n();
  const { t } = i;
  const can = useCan();
  const manage = can('org.unit.manage');
  const me = useMe();
  const holdingsAllowed = can('unit.holdings.read');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const units = useUnits();
  const list = useMemo(() => units.data ?? [], [units.data]);
  const tree = useMemo(() => buildUnitTree(list), [list]);
  const root = tree[0];
  const [dialog, setDialog] = useState<Dialog>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const expandedKeys = useMemo(() => list.filter((u) => !collapsed.has(u.id)).map((u) => u.id), [list, collapsed]);

  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: UNITS_KEY });
    void qc.invalidateQueries({ queryKey: ['users'] });
    void message.success(text);
  };

  const columns: ColumnsType<UnitNode> = [
    {
      title: t('units.name'),
      dataIndex: 'name',
      key: 'name',
      render: (_v, u) => (
        <span className="unit-name">
          <span className={u.depth === 0 ? 'unit-root' : undefined}>{u.name}</span>
          {u.closedAt ? <Tag className="tag-closed">{t('units.statusClosed')}</Tag> : null}
        </span>
      ),
    },
    { title: t('units.code'), dataIndex: 'code', key: 'code', width: 120 },
    {
      title: t('field.status'),
      key: 'status',
      width: 230,
      render: (_v, u) =>
        u.closedAt ? (
          <span className="unit-closed-note">{t('units.closedOn', { date: formatDate(u.closedAt), reason: u.closedReason ?? '' })}</span>
        ) : (
          t('units.statusActive')
        ),
    },
  ];
  if (holdingsAllowed) {
    columns.push({
      title: t('holdings.column'),
      key: 'holdings',
      width: 200,
      render: (_v, u) =>
        mayReadHoldings(me, u.id, holdingsAllowed) ? (
          <Link
            to={`/units/${u.id}/holdings`}
            className="ant-btn ant-btn-default ant-btn-sm holdings-link"
            aria-label={t('holdings.openFor', { unit: u.name })}
          >
            <FolderOpenOutlined aria-hidden="true" /> {t('holdings.open')}
          </Link>
        ) : null,
    });
  }
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 430,
      render: (_v, u) =>
        u.closedAt ? null : (
          <Space size={0} wrap>
            <Button type="link" size="small" icon={<PlusOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'create', parentId: u.id })}>
              {t('units.addChild')}
            </Button>
            <Button type="link" size="small" icon={<EditOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'rename', unit: u })}>
              {t('units.rename')}
            </Button>
            {u.parentId ? (
              <>
                <Button type="link" size="small" icon={<SwapOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'move', unit: u })}>
                  {t('units.move')}
                </Button>
                <Button type="link" size="small" danger icon={<StopOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'close', unit: u })}>
                  {t('units.close')}
                </Button>
              </>
            ) : null}
          </Space>
        ),
    });
  }

  const activeOptions = useMemo(() => unitTreeOptions(tree), [tree]);
  const moveOptions = useMemo(() => (dialog?.kind === 'move' ? unitTreeOptions(tree, subtreeIds(list, dialog.unit.id)) : []), [dialog, tree, list]);

  return (
    <>
      <PageTitle
        title={t('units.title')}
        intro={t('units.intro')}
        extra={
          manage && root ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'create', parentId: root.id })}>
              {t('units.add')}
            </Button>
          ) : null
        }
      />
      <DataTable<UnitNode>
        className="units-table"
        caption={t('units.caption')}
        error={units.error}
        rowKey="id"
        columns={columns}
        dataSource={tree}
        loading={units.isPending}
        rowClassName={(u) => (u.closedAt ? 'row-closed' : '')}
        empty={t('units.empty')}
        plainEmpty
        expandable={{
          expandedRowKeys: expandedKeys,
          onExpand: (expanded, u) =>
            setCollapsed((prev) => {
              const next = new Set(prev);
              if (expanded) next.delete(u.id);
              else next.add(u.id);
              return next;
            }),
        }}
      />

      <FormModal<{ name: string; code: string; parentId: string }>
        open={dialog?.kind === 'create'}
        title={t('units.createTitle')}
        submitText={t('common.create')}
        onClose={() => setDialog(null)}
        initialValues={dialog?.kind === 'create' ? { parentId: dialog.parentId ?? undefined } : {}}
        onSubmit={async (v) => {
          await api.post<Unit>('/units', { name: v.name.trim(), code: v.code.trim(), parentId: v.parentId });
          await done(t('units.created'));
        }}
      >
        <Form.Item name="parentId" label={t('units.parent')} rules={[requiredRule(i, t('units.parent'), true)]}>
          <TreeSelect treeData={activeOptions} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <NameCodeFields />
      </FormModal>

      <FormModal<{ name: string; code: string }>
        open={dialog?.kind === 'rename'}
        title={dialog?.kind === 'rename' ? t('units.renameTitle', { name: dialog.unit.name }) : ''}
        submitText={t('common.save')}
        onClose={() => setDialog(null)}
        initialValues={dialog?.kind === 'rename' ? { name: dialog.unit.name, code: dialog.unit.code } : {}}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'rename') return;
          const body: { name?: string; code?: string } = {};
          if (v.name.trim() !== dialog.unit.name) body.name = v.name.trim();
          if (v.code.trim() !== dialog.unit.code) body.code = v.code.trim();
          if (Object.keys(body).length > 0) await api.patch<Unit>(`/units/${encodeURIComponent(dialog.unit.id)}`, body);
          await done(t('units.renamed'));
        }}
      >
        <NameCodeFields />
      </FormModal>

      <FormModal<{ parentId: string }>
        open={dialog?.kind === 'move'}
        title={dialog?.kind === 'move' ? t('units.moveTitle', { name: dialog.unit.name }) : ''}
        submitText={t('units.move')}
        onClose={() => setDialog(null)}
        initialValues={dialog?.kind === 'move' ? { parentId: dialog.unit.parentId ?? undefined } : {}}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'move') return;
          await api.post<Unit>(`/units/${encodeURIComponent(dialog.unit.id)}/move`, { parentId: v.parentId });
          await done(t('units.moved'));
        }}
      >
        <Form.Item name="parentId" label={t('units.newParent')} rules={[requiredRule(i, t('units.newParent'), true)]}>
          <TreeSelect treeData={moveOptions} treeDefaultExpandAll showSearch treeNodeFilterProp="title" autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'close'}
        title={dialog?.kind === 'close' ? t('units.closeTitle', { name: dialog.unit.name }) : ''}
        submitText={t('units.close')}
        danger
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'close') return;
          await api.post<Unit>(`/units/${encodeURIComponent(dialog.unit.id)}/close`, { reason: v.reason.trim() });
          await done(t('units.closed'));
        }}
      >
        <Alert type="warning" showIcon title={t('units.closeWarning')} className="dialog-alert" />
        <ReasonField autoFocus />
      </FormModal>
    </>
  );
}
