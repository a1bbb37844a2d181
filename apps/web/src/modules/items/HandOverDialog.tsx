import { Alert, Form, Input, Radio, Select } from 'antd';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import type { Copy, Item } from '../../kit/types';
import { FormModal } from '../../kit/ui';
import { requiredRule, foldedSearch } from '../../kit/validation';
import { PersonPicker } from '../people/PersonPicker';
import { useDirectory } from './directory';

interface HandOverForm {
  kind: 'user' | 'unit';
  userId?: string;
  unitId?: string;
  note?: string;
}

/** Hands the selected copies to a person or unit of the agency; the receiver signs in KhoMật. */
export function HandOverDialog({
  item,
  copies,
  open,
  onClose,
  onDone,
  namedAddressee,
}: {
  item: Item;
  copies: Copy[];
  open: boolean;
  onClose: () => void;
  onDone: (registerNumber: number) => void;
  /** The named person of a «Chỉ người có tên mới được bóc bì» item, when known by name. */
  namedAddressee?: { id: string; name: string } | null;
}) {
  const i = useI18n();
  const { t } = i;
  const dir = useDirectory();
  const level = item.level ?? item.proposedLevel;
  const units = dir.units.map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'vi'));
  return (
    <FormModal<HandOverForm>
      open={open}
      title={t('handOver.title', { count: copies.length })}
      submitText={t('handOver.submit')}
      width={600}
      onClose={onClose}
      initialValues={
        item.addresseeOnly && item.namedAddresseeId ? { kind: 'user', userId: item.namedAddresseeId } : { kind: dir.canListPeople ? 'user' : 'unit' }
      }
      onSubmit={async (v) => {
        const to = v.kind === 'user' ? { kind: 'user' as const, id: v.userId! } : { kind: 'unit' as const, id: v.unitId! };
        const r = await api.post<{ eventId: string; registerNumber: number; year: number }>('/custody/hand-over', {
          copyIds: copies.map((c) => c.id),
          to,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        onDone(r.registerNumber);
      }}
    >
      <Alert type="info" showIcon className="dialog-alert" title={t('handOver.hint', { labels: copies.map((c) => c.label).join(', ') })} />
      {!dir.canListPeople ? <Alert type="warning" showIcon className="dialog-alert" title={t('handOver.noPeople')} /> : null}
      <Form.Item name="kind" label={t('handOver.to')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'user', label: t('draft.kindUser'), disabled: !dir.canListPeople },
            { value: 'unit', label: t('draft.kindUnit'), disabled: item.addresseeOnly },
          ]}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['kind']}>
        {({ getFieldValue }) =>
          getFieldValue('kind') === 'user' ? (
            <Form.Item
              name="userId"
              label={t('draft.person')}
              extra={item.addresseeOnly ? t('handOver.namedOnly') : t('people.pickerHint')}
              rules={[requiredRule(i, t('draft.person'), true)]}
            >
              <PersonPicker
                level={level}
                onlyId={item.addresseeOnly ? item.namedAddresseeId : undefined}
                known={namedAddressee ? [namedAddressee] : undefined}
              />
            </Form.Item>
          ) : (
            <Form.Item name="unitId" label={t('draft.unit')} rules={[requiredRule(i, t('draft.unit'), true)]}>
              <Select showSearch={foldedSearch} options={units} />
            </Form.Item>
          )
        }
      </Form.Item>
      <Form.Item name="note" label={t('handOver.note')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </FormModal>
  );
}
