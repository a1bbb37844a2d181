import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Radio, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SafetyOutlined } from '@ant-design/icons';
import { CLEARANCES, type Clearance } from '@khomat/policy';
import { api } from '../../kit/api';
import { useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import type { ClearanceChangeReply, User } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ReasonField } from '../../kit/fields';
import { ClearanceTag, FormModal, PageTitle, RoleTags } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';
import { PersonCell } from '../users/PersonCell';
import { byVietnameseName } from '../users/sort';
import { UserFilters } from '../users/UserFilters';
import { UserStatus } from '../users/UsersPage';
import { useUsers, type UserFilter } from '../users/useUsers';
import { clearanceActionFor, levelAllowed, mayGrant } from './actions';

/** Highest first, as they are read in the law: Tuyệt mật, Tối mật, Mật, then none. */
const ORDER: Clearance[] = [...CLEARANCES].reverse();

/** The clearance in force and, beside it, one requested but not yet confirmed. */
function ClearanceCell({ user }: { user: User }) {
  const { t, clearanceLabel } = useI18n();
  return (
    <span className="role-tags">
      <ClearanceTag clearance={user.clearance} />
      {user.pendingClearance ? (
        <Tag className="tag-pending" title={t('clearance.pendingTitle')}>
          {t('clearance.pending', { level: clearanceLabel(user.pendingClearance) })}
        </Tag>
      ) : null}
    </span>
  );
}

export function ClearancePage() {
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<UserFilter>({});
  const users = useUsers(filter);
  const [target, setTarget] = useState<User | null>(null);
  const sorted = useMemo(() => [...(users.data ?? [])].sort(byVietnameseName), [users.data]);
  const units = useUnits();
  const rootUnitId = units.data?.find((u) => u.parentId === null)?.id;
  const granter = units.isPending || mayGrant(me, rootUnitId);

  const allColumns: ColumnsType<User> = [
    { title: t('users.person'), key: 'person', render: (_v, u) => <PersonCell user={u} /> },
    { title: t('field.unit'), dataIndex: 'unitName', key: 'unitName' },
    { title: t('field.position'), dataIndex: 'position', key: 'position' },
    { title: t('field.roles'), key: 'roles', render: (_v, u) => <RoleTags roles={u.roles} /> },
    { title: t('field.status'), key: 'status', render: (_v, u) => <UserStatus user={u} /> },
    { title: t('field.clearance'), key: 'clearance', render: (_v, u) => <ClearanceCell user={u} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, u) => {
        if (units.isPending) return null;
        // Say why no action is offered instead of showing a dead button.
        const muted = (text: string, hint?: string) => (
          <span className="muted" title={hint}>
            {text}
          </span>
        );
        switch (clearanceActionFor(me, u, rootUnitId)) {
          case 'view_only':
            return null;
          case 'self':
            return muted(t('clearance.selfShort'), t('clearance.self'));
          case 'not_applicable':
            return muted(t('clearance.notApplicable'), t('clearance.notApplicableHint'));
          case 'inactive':
            return muted(t('clearance.inactiveShort'));
          case 'no_own_clearance':
            return muted(t('clearance.noOwnShort'), t('clearance.noOwn'));
          case 'above_own':
            return muted(t('clearance.aboveOwnShort'), t('clearance.aboveOwn'));
          case 'agency_head_only':
            return muted(t('clearance.agencyHeadOnlyShort'), t('clearance.agencyHeadOnly'));
          case 'change':
            return (
              <Button
                size="small"
                icon={<SafetyOutlined aria-hidden="true" />}
                onClick={() => setTarget(u)}
                aria-label={t('clearance.changeLabel', { name: u.fullName })}
              >
                {t('clearance.change')}
              </Button>
            );
        }
      },
    },
  ];
  // Someone who only reads the list gets no empty actions column.
  const columns = granter ? allColumns : allColumns.filter((c) => c.key !== 'actions');

  return (
    <>
      <PageTitle title={t('clearance.title')} intro={t('clearance.intro')} />
      {granter ? null : <Alert type="info" showIcon title={t('clearance.viewOnly')} className="page-alert" />}
      <UserFilters value={filter} onChange={setFilter} idPrefix="clearance-filter" />
      <DataTable<User>
        className="clearance-table"
        caption={t('clearance.caption')}
        error={users.error}
        rowKey="id"
        columns={columns}
        dataSource={sorted}
        loading={users.isPending}
        pager={{ pageSize: 20 }}
        empty={t('users.empty')}
        plainEmpty
      />
      <FormModal<{ clearance: Clearance; reason: string; decisionRef: string }>
        open={target !== null}
        title={target ? t('clearance.changeTitle', { name: target.fullName }) : ''}
        submitText={t('common.save')}
        onClose={() => setTarget(null)}
        initialValues={target ? { clearance: target.clearance } : {}}
        onSubmit={async (v) => {
          if (!target) return;
          const reply = await api.post<ClearanceChangeReply>(`/users/${encodeURIComponent(target.id)}/clearance`, {
            clearance: v.clearance,
            reason: v.reason.trim(),
            decisionRef: v.decisionRef.trim(),
          });
          await qc.invalidateQueries({ queryKey: ['users'] });
          if (reply.change.status === 'pending') {
            // A raise waits for a second person: say so plainly rather than a toast that fades.
            modal.success({
              title: t('clearance.sentTitle'),
              content: t('clearance.sentText', { level: i.clearanceLabel(v.clearance), name: target.fullName }),
              okText: t('common.close'),
            });
          } else {
            void message.success(t('clearance.changed'));
          }
        }}
      >
        {target ? (
          <p className="current-clearance">
            {t('clearance.current')}: <ClearanceTag clearance={target.clearance} />
          </p>
        ) : null}
        <Form.Item
          name="clearance"
          label={t('clearance.new')}
          extra={me.clearance === 'TOP_SECRET' ? undefined : t('clearance.ownLimit', { level: i.clearanceLabel(me.clearance) })}
          rules={[
            { required: true, message: t('common.selectRequired', { field: t('clearance.new').toLocaleLowerCase(i.lang) }) },
            {
              validator: async (_r, value: Clearance | undefined) => {
                if (target && value === target.clearance) throw new Error(t('clearance.same'));
              },
            },
          ]}
        >
          <Radio.Group className="clearance-radios" aria-label={t('clearance.new')}>
            {ORDER.map((c) => (
              <Radio key={c} value={c} disabled={!levelAllowed(me, c)}>
                <ClearanceTag clearance={c} />
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <ReasonField placeholder={t('clearance.reasonPh')} />
        <Form.Item name="decisionRef" label={t('clearance.decisionRef')} rules={[requiredRule(i, t('clearance.decisionRef'))]}>
          <Input maxLength={200} placeholder={t('clearance.decisionRefPh')} />
        </Form.Item>
        <Alert type="info" showIcon title={t('clearance.raiseHint')} className="dialog-alert" />
      </FormModal>
    </>
  );
}
