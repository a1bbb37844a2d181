import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Col, Dropdown, Form, Input, Row, Select, Space, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownOutlined, EditOutlined, IdcardOutlined, UserAddOutlined } from '@ant-design/icons';
import { ROLES, ROLE_TABLE, type Role } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { formatDateTime } from '../../kit/format';
import { useI18n, type I18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import type { PositionChangeReply, User } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { NewPasswordFields, ReasonField } from '../../kit/fields';
import { ClearanceTag, FormModal, PageTitle, RoleTags } from '../../kit/ui';
import { USERNAME_RE, requiredRule } from '../../kit/validation';
import { buildUnitTree, unitTreeOptions } from '../units/tree';
import { holdShortText } from '../account-changes/changes';
import { ChangeWarnings } from '../account-changes/ChangeWarnings';
import { heldCopiesOf } from './heldCopies';
import { PersonCell } from './PersonCell';
import { byVietnameseName } from './sort';
import { UserFilters } from './UserFilters';
import { useUsersReply, type UserFilter } from './useUsers';
import { usePositions } from './usePositions';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'deactivate'; user: User }
  | { kind: 'resetPassword'; user: User }
  | { kind: 'position'; user: User }
  | null;

interface UserForm {
  username: string;
  fullName: string;
  unitId: string;
  position: string;
  positionId?: string;
  roles: Role[];
  password: string;
  password2: string;
}

function rolesRule(i: I18n) {
  return {
    validator: async (_r: unknown, value: Role[] | undefined) => {
      if (!value || value.length < 2) return;
      const ex = value.find((r) => ROLE_TABLE[r].exclusive);
      if (ex) throw new Error(i.t('users.rolesExclusive', { role: i.roleLabel(ex) }));
    },
  };
}

export function UserStatus({ user }: { user: User }) {
  const i = useI18n();
  const { t } = i;
  if (!user.active) return <Tag className="tag-inactive">{t('users.inactive')}</Tag>;
  const locked = user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now();
  const held = holdShortText(i, user.hold);
  return (
    <span className="role-tags">
      {locked ? (
        <Tag className="tag-locked">{t('users.locked', { time: formatDateTime(user.lockedUntil) })}</Tag>
      ) : (
        <Tag className="tag-active">{t('users.active')}</Tag>
      )}
      {held ? (
        <Tag className="tag-pending" data-hold={(user.hold ?? []).join(' ')} title={t('users.holdTagTitle')}>
          {t('users.holdTag', { kinds: held })}
        </Tag>
      ) : null}
    </span>
  );
}

/** The copies that keep an account from being closed, listed under the server's refusal. */
function HeldCopiesList({ error }: { error: unknown }) {
  const { t, clearanceLabel } = useI18n();
  const copies = heldCopiesOf(error);
  if (copies.length === 0) return null;
  return (
    <>
      <div>{t('users.heldCopies')}</div>
      <ul className="held-copies">
        {copies.map((c, n) => (
          <li key={`${c.label}-${n}`}>
            {t('users.heldCopy', {
              label: c.label,
              item: c.numberSymbol ?? t('users.heldCopyNoNumber'),
              level: c.level ? clearanceLabel(c.level) : t('common.none'),
            })}
          </li>
        ))}
      </ul>
    </>
  );
}

export function UsersPage() {
  const i = useI18n();
  const { t } = i;
  const can = useCan();
  const navigate = useNavigate();
  const manage = can('org.user.manage');
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<UserFilter>({});
  const users = useUsersReply(filter);
  const units = useUnits();
  const unitOptions = useMemo(() => unitTreeOptions(buildUnitTree(units.data ?? [])), [units.data]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const positions = usePositions();
  const positionName = useMemo(() => new Map((positions.data ?? []).map((p) => [p.id, p.name])), [positions.data]);
  const positionOptions = useMemo(() => (positions.data ?? []).map((p) => ({ value: p.id, label: p.name })), [positions.data]);
  const sorted = useMemo(() => [...(users.data?.items ?? [])].sort(byVietnameseName), [users.data]);

  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: ['users'] });
    void message.success(text);
  };
  const path = (u: User, suffix = '') => `/users/${encodeURIComponent(u.id)}${suffix}`;

  const roleOptions = ROLES.map((r) => ({ value: r, label: i.roleLabel(r) }));

  const columns: ColumnsType<User> = [
    { title: t('users.person'), key: 'person', render: (_v, u) => <PersonCell user={u} /> },
    { title: t('field.unit'), dataIndex: 'unitName', key: 'unitName' },
    {
      title: t('field.positionHeld'),
      key: 'positionHeld',
      render: (_v, u) => (u.positionId ? (positionName.get(u.positionId) ?? '') : <span className="muted">{t('users.positionNone')}</span>),
    },
    { title: t('field.position'), dataIndex: 'position', key: 'position' },
    { title: t('field.roles'), key: 'roles', render: (_v, u) => <RoleTags roles={u.roles} /> },
    { title: t('field.clearance'), key: 'clearance', render: (_v, u) => <ClearanceTag clearance={u.clearance} /> },
    { title: t('users.totpShort'), key: 'totp', render: (_v, u) => (u.totpEnabled ? t('users.totpOn') : t('users.totpOff')) },
    { title: t('field.status'), key: 'status', render: (_v, u) => <UserStatus user={u} /> },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_v, u) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<EditOutlined aria-hidden="true" />}
            onClick={() => setDialog({ kind: 'edit', user: u })}
            aria-label={`${t('users.edit')}: ${u.fullName}`}
          >
            {t('users.edit')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'position', label: t('users.setPosition') },
                { key: 'pw', label: t('users.resetPassword') },
                { key: 'totp', label: t('users.resetTotp') },
                { type: 'divider' },
                u.active ? { key: 'deact', label: t('users.deactivate'), danger: true } : { key: 'act', label: t('users.activate') },
              ],
              onClick: ({ key }) => {
                if (key === 'pw') setDialog({ kind: 'resetPassword', user: u });
                if (key === 'position') setDialog({ kind: 'position', user: u });
                if (key === 'deact') setDialog({ kind: 'deactivate', user: u });
                if (key === 'totp') {
                  modal.confirm({
                    title: t('users.resetTotpTitle', { name: u.fullName }),
                    content: t('users.resetTotpConfirm'),
                    okText: t('users.resetTotp'),
                    cancelText: t('common.cancel'),
                    onOk: async () => {
                      try {
                        await api.post<User>(path(u, '/reset-totp'));
                        await done(t('users.totpReset'));
                      } catch (e) {
                        void message.error(i.errorText(e));
                      }
                    },
                  });
                }
                if (key === 'act') {
                  modal.confirm({
                    title: t('users.activateTitle', { name: u.fullName }),
                    content: t('users.activateConfirm'),
                    okText: t('users.activate'),
                    cancelText: t('common.cancel'),
                    onOk: async () => {
                      try {
                        await api.post<User>(path(u, '/activate'));
                        await done(t('users.activated'));
                      } catch (e) {
                        void message.error(i.errorText(e));
                      }
                    },
                  });
                }
              },
            }}
          >
            <Button size="small" aria-label={t('users.more', { name: u.fullName })}>
              {t('users.moreShort')} <DownOutlined aria-hidden="true" />
            </Button>
          </Dropdown>
        </Space>
      ),
    });
  }

  const editing = dialog?.kind === 'edit' ? dialog.user : null;

  return (
    <>
      <PageTitle
        title={t('users.title')}
        extra={
          manage ? (
            <>
              {can('org.position.manage') ? (
                <Button icon={<IdcardOutlined aria-hidden="true" />} onClick={() => navigate('/positions')}>
                  {t('users.toPositions')}
                </Button>
              ) : null}
              <Button type="primary" icon={<UserAddOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'create' })}>
                {t('users.create')}
              </Button>
            </>
          ) : null
        }
      />
      <ChangeWarnings warnings={users.data?.warnings} />
      <UserFilters value={filter} onChange={setFilter} idPrefix="users-filter" />
      <DataTable<User>
        className="users-table"
        caption={t('users.caption')}
        error={users.error}
        rowKey="id"
        columns={columns}
        dataSource={sorted}
        loading={users.isPending}
        rowClassName={(u) => (u.active ? '' : 'row-closed')}
        pager={{ pageSize: 20 }}
        empty={t('users.empty')}
        plainEmpty
      />

      <FormModal<UserForm>
        open={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        title={editing ? t('users.editTitle', { name: editing.fullName }) : t('users.createTitle')}
        submitText={editing ? t('common.save') : t('common.create')}
        width={720}
        onClose={() => setDialog(null)}
        initialValues={editing ? { fullName: editing.fullName, unitId: editing.unitId, position: editing.position, roles: editing.roles } : { roles: [] }}
        onSubmit={async (v) => {
          if (editing) {
            await api.patch<User>(path(editing), { fullName: v.fullName.trim(), unitId: v.unitId, position: v.position.trim(), roles: v.roles });
            await done(t('users.updated'));
          } else {
            const created = await api.post<User>('/users', {
              username: v.username.trim(),
              fullName: v.fullName.trim(),
              unitId: v.unitId,
              position: v.position.trim(),
              ...(v.positionId ? { positionId: v.positionId } : {}),
              roles: v.roles,
              password: v.password,
            });
            await done(created.hold && created.hold.length > 0 ? t('users.createdHeld') : t('users.created'));
          }
        }}
      >
        {!editing ? <Alert type="info" showIcon title={t('users.createHint')} className="dialog-alert" /> : null}
        <Row gutter={16}>
          {!editing ? (
            <Col xs={24} md={12}>
              <Form.Item
                name="username"
                label={t('field.username')}
                rules={[requiredRule(i, t('field.username')), { pattern: USERNAME_RE, message: t('users.usernameFormat') }]}
              >
                <Input autoComplete="off" maxLength={64} autoFocus />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} md={editing ? 24 : 12}>
            <Form.Item name="fullName" label={t('field.fullName')} rules={[requiredRule(i, t('field.fullName'))]}>
              <Input maxLength={120} autoFocus={!!editing} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('field.unit')} rules={[requiredRule(i, t('field.unit'), true)]}>
              <TreeSelect treeData={unitOptions} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="position" label={t('field.position')} rules={[requiredRule(i, t('field.position'))]}>
              <Input maxLength={120} />
            </Form.Item>
          </Col>
          {!editing ? (
            <Col xs={24} md={12}>
              <Form.Item name="positionId" label={t('field.positionHeld')} extra={t('users.positionDefaultHint')}>
                <Select allowClear options={positionOptions} placeholder={t('users.positionDefault')} optionFilterProp="label" showSearch />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Form.Item
          name="roles"
          label={t('field.roles')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('field.roles').toLocaleLowerCase(i.lang) }) },
            rolesRule(i),
          ]}
        >
          <Select mode="multiple" options={roleOptions} optionFilterProp="label" />
        </Form.Item>
        {!editing ? <NewPasswordFields label={t('field.initialPassword')} inRow /> : null}
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'deactivate'}
        title={dialog?.kind === 'deactivate' ? t('users.deactivateTitle', { name: dialog.user.fullName }) : ''}
        submitText={t('users.deactivate')}
        danger
        onClose={() => setDialog(null)}
        errorDetail={(e) => <HeldCopiesList error={e} />}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'deactivate') return;
          await api.post<User>(path(dialog.user, '/deactivate'), { reason: v.reason.trim() });
          await done(t('users.deactivated'));
        }}
      >
        <ReasonField autoFocus />
      </FormModal>

      <FormModal<{ positionId: string; reason?: string }>
        open={dialog?.kind === 'position'}
        title={dialog?.kind === 'position' ? t('users.setPositionTitle', { name: dialog.user.fullName }) : ''}
        submitText={t('users.setPosition')}
        onClose={() => setDialog(null)}
        initialValues={dialog?.kind === 'position' && dialog.user.positionId ? { positionId: dialog.user.positionId } : {}}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'position') return;
          const r = await api.post<PositionChangeReply>(path(dialog.user, '/position'), {
            positionId: v.positionId,
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          });
          await done(r.change ? t('users.positionSetHeld') : t('users.positionSet'));
        }}
      >
        <Alert type="info" showIcon title={t('users.setPositionHint')} className="dialog-alert" />
        <Form.Item name="positionId" label={t('field.positionHeld')} rules={[requiredRule(i, t('field.positionHeld'), true)]}>
          <Select options={positionOptions} optionFilterProp="label" showSearch autoFocus />
        </Form.Item>
        <Form.Item name="reason" label={t('users.positionReason')}>
          <Input maxLength={500} placeholder={t('users.positionReasonPh')} />
        </Form.Item>
      </FormModal>

      <FormModal<{ password: string; password2: string }>
        open={dialog?.kind === 'resetPassword'}
        title={dialog?.kind === 'resetPassword' ? t('users.resetPasswordTitle', { name: dialog.user.fullName }) : ''}
        submitText={t('users.resetPassword')}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'resetPassword') return;
          await api.post<User>(path(dialog.user, '/reset-password'), { newPassword: v.password });
          await done(t('users.passwordReset'));
        }}
      >
        <Alert type="info" showIcon title={t('users.resetPasswordHint')} className="dialog-alert" />
        <NewPasswordFields label={t('password.new')} autoFocus />
      </FormModal>
    </>
  );
}
