import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, AutoComplete, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Result, Row, Select } from 'antd';
import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { civilDateInVietnam, type ItemKind, type Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import type { IncomingReply } from '../../kit/types';
import { ClearanceTag, ErrorAlert, PageTitle } from '../../kit/ui';
import { enterTakesTypedDate, requiredDateRule, requiredNumberRule, requiredRule, foldedSearch } from '../../kit/validation';
import { PersonPicker } from '../people/PersonPicker';
import { useDirectory } from './directory';
import { LEVELS_DESC, useRegistryLabels } from './labels';
import { MY_COPIES_KEY } from './useItemLists';

interface IncomingForm {
  issuer: string;
  numberSymbol: string;
  documentDate: Dayjs;
  arrivalDate: Dayjs;
  docType: string;
  kind: ItemKind;
  level: Level;
  addresseeOnly: boolean;
  summary?: string;
  copies: number;
  envelopeState: 'intact' | 'damaged' | 'opened';
  recallRequired: boolean;
  copyForbidden: boolean;
  toKind: 'user' | 'unit';
  userId?: string;
  unitId?: string;
  note?: string;
}

const DOC_TYPES = ['Công văn', 'Báo cáo', 'Quyết định', 'Kế hoạch', 'Thông báo', 'Chỉ thị', 'Tờ trình', 'Biên bản'];

export function IncomingPage() {
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const labels = useRegistryLabels();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const dir = useDirectory();
  const [form] = Form.useForm<IncomingForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<IncomingReply | null>(null);
  const level = Form.useWatch('level', form);
  const addresseeOnly = Form.useWatch('addresseeOnly', form);
  const envelopeState = Form.useWatch('envelopeState', form);
  const toKind = Form.useWatch('toKind', form);
  const documentDate = Form.useWatch('documentDate', form);
  const noSummary = level === 'TOP_SECRET' || !!addresseeOnly;
  const today = civilDateInVietnam(new Date());

  // Tuyệt mật and addressee-only envelopes are registered from the outer marks: no summary.
  useEffect(() => {
    if (noSummary) form.setFieldValue('summary', undefined);
  }, [noSummary, form]);
  useEffect(() => {
    if (addresseeOnly) form.setFieldValue('toKind', 'user');
  }, [addresseeOnly, form]);

  const units = dir.units.map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'vi'));

  if (done) {
    return (
      <>
        <PageTitle title={t('incoming.title')} />
        <Result
          className="plain-result incoming-done"
          status="success"
          icon={<CheckCircleOutlined aria-hidden="true" />}
          title={t('incoming.done', { number: done.registerNumber, year: done.year })}
          subTitle={t('incoming.doneHint', { numberSymbol: done.item.numberSymbol ?? '', copies: done.copies.length })}
          extra={[
            <Button key="open" type="primary" onClick={() => navigate(`/items/${done.item.id}`)}>
              {t('incoming.openItem')}
            </Button>,
            <Button
              key="again"
              onClick={() => {
                setDone(null);
                form.resetFields();
              }}
            >
              {t('incoming.again')}
            </Button>,
          ]}
        />
      </>
    );
  }

  return (
    <>
      <PageTitle title={t('incoming.title')} intro={t('incoming.intro')} />
      <Form<IncomingForm>
        form={form}
        layout="vertical"
        requiredMark
        scrollToFirstError
        initialValues={{
          arrivalDate: dayjs(today),
          kind: 'document',
          copies: 1,
          envelopeState: 'intact',
          addresseeOnly: false,
          recallRequired: false,
          copyForbidden: false,
          toKind: 'unit',
        }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const r = await api.post<IncomingReply>('/items/incoming', {
              issuer: v.issuer.trim(),
              numberSymbol: v.numberSymbol.trim(),
              documentDate: v.documentDate.format('YYYY-MM-DD'),
              arrivalDate: v.arrivalDate.format('YYYY-MM-DD'),
              docType: v.docType.trim(),
              kind: v.kind,
              ...(!noSummary && v.summary?.trim() ? { summary: v.summary.trim() } : {}),
              level: v.level,
              copies: v.copies,
              addresseeOnly: !!v.addresseeOnly,
              envelopeState: v.envelopeState,
              ...(v.recallRequired ? { recallRequired: true } : {}),
              ...(v.copyForbidden ? { copyForbidden: true } : {}),
              to: v.toKind === 'user' ? { kind: 'user', id: v.userId } : { kind: 'unit', id: v.unitId },
              ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            });
            void qc.invalidateQueries({ queryKey: ['items'] });
            void qc.invalidateQueries({ queryKey: ['registers'] });
            void qc.invalidateQueries({ queryKey: MY_COPIES_KEY });
            setDone(r);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Card className="form-card" title={<h2 className="card-h2">{t('incoming.sectionEnvelope')}</h2>}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="arrivalDate"
                label={t('incoming.arrivalDate')}
                extra={t('incoming.arrivalDateHint')}
                dependencies={['documentDate']}
                rules={[
                  requiredDateRule(i, t('incoming.arrivalDate')),
                  {
                    // The server decides (dispatch.rules ENTERED_DATE_RULES); this only says it before sending.
                    validator: async (_r, d: Dayjs | null | undefined) => {
                      if (d && d.format('YYYY-MM-DD') > today) throw new Error(t('incoming.arrivalInFuture'));
                      if (d && documentDate && d.isBefore(documentDate, 'day')) throw new Error(t('incoming.arrivalBeforeDocument'));
                    },
                  },
                ]}
              >
                <DatePicker
                  format="DD/MM/YYYY"
                  className="full-width"
                  placeholder={t('audit.datePh')}
                  disabledDate={(d) => d.format('YYYY-MM-DD') > today || (!!documentDate && d.isBefore(documentDate, 'day'))}
                  onKeyDown={enterTakesTypedDate}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="issuer" label={t('item.issuer')} rules={[requiredRule(i, t('item.issuer'))]}>
                <Input maxLength={300} placeholder={t('incoming.issuerPh')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="numberSymbol" label={t('item.numberSymbol')} rules={[requiredRule(i, t('item.numberSymbol'))]}>
                <Input maxLength={100} placeholder={t('incoming.numberSymbolPh')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="documentDate"
                label={t('item.documentDate')}
                rules={[
                  requiredDateRule(i, t('item.documentDate')),
                  {
                    validator: async (_r, d: Dayjs | null | undefined) => {
                      if (d && d.isAfter(dayjs(), 'day')) throw new Error(t('incoming.dateInFuture'));
                    },
                  },
                ]}
              >
                <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="docType" label={t('item.docType')} rules={[requiredRule(i, t('item.docType'))]}>
                <AutoComplete
                  options={DOC_TYPES.map((d) => ({ value: d }))}
                  showSearch={{ filterOption: (input, o) => (o?.value ?? '').toLocaleLowerCase('vi').includes(input.toLocaleLowerCase('vi')) }}
                  maxLength={100}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('item.kind')}>
                <Select options={labels.kinds} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="copies" label={t('incoming.copies')} rules={[requiredNumberRule(i, t('incoming.copies'))]}>
                <InputNumber min={1} max={1000} precision={0} className="full-width" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="level" label={t('item.level')} rules={[requiredRule(i, t('item.level'), true)]}>
            <Radio.Group aria-label={t('item.level')} className="level-radios">
              {LEVELS_DESC.map((l) => (
                <Radio key={l} value={l}>
                  <ClearanceTag clearance={l} />
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="addresseeOnly" valuePropName="checked" className="tight-item" extra={t('incoming.addresseeOnlyHint')}>
            <Checkbox>{t('incoming.addresseeOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="recallRequired" valuePropName="checked" className="tight-item">
            <Checkbox>{t('incoming.recall')}</Checkbox>
          </Form.Item>
          <Form.Item name="copyForbidden" valuePropName="checked" className="tight-item">
            <Checkbox>{t('incoming.copyForbidden')}</Checkbox>
          </Form.Item>
          <Form.Item name="summary" label={t('item.summary')} extra={noSummary ? undefined : t('incoming.summaryHint')}>
            <Input.TextArea rows={3} maxLength={2000} disabled={noSummary} aria-describedby={noSummary ? 'summary-why' : undefined} />
          </Form.Item>
          {noSummary ? (
            <Alert
              id="summary-why"
              type="info"
              showIcon
              className="dialog-alert summary-why"
              title={level === 'TOP_SECRET' ? t('incoming.noSummaryTopSecret') : t('incoming.noSummaryAddressee')}
            />
          ) : null}
          <Form.Item name="envelopeState" label={t('incoming.envelopeState')}>
            <Radio.Group aria-label={t('incoming.envelopeState')}>
              <Radio value="intact">{labels.envelope('intact')}</Radio>
              <Radio value="damaged">{labels.envelope('damaged')}</Radio>
              <Radio value="opened">{labels.envelope('opened')}</Radio>
            </Radio.Group>
          </Form.Item>
          {envelopeState && envelopeState !== 'intact' ? (
            <Alert
              type="warning"
              showIcon
              className="dialog-alert"
              role="alert"
              title={t('incoming.envelopeWarning')}
              description={t('incoming.envelopeWarningHint')}
            />
          ) : null}
        </Card>

        <Card className="form-card card-gap" title={<h2 className="card-h2">{t('incoming.sectionPass')}</h2>}>
          {!dir.canListPeople ? <Alert type="info" showIcon className="dialog-alert" title={t('handOver.noPeople')} /> : null}
          <Form.Item name="toKind" label={t('incoming.passTo')} extra={addresseeOnly ? t('incoming.passToNamed') : undefined}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'user', label: t('draft.kindUser'), disabled: !dir.canListPeople },
                { value: 'unit', label: t('draft.kindUnit'), disabled: !!addresseeOnly },
              ]}
            />
          </Form.Item>
          {toKind === 'user' ? (
            <Form.Item
              name="userId"
              label={addresseeOnly ? t('incoming.namedPerson') : t('draft.person')}
              extra={t('people.pickerHint')}
              rules={[requiredRule(i, t('draft.person'), true)]}
            >
              <PersonPicker level={level} />
            </Form.Item>
          ) : (
            <Form.Item name="unitId" label={t('draft.unit')} rules={[requiredRule(i, t('draft.unit'), true)]}>
              <Select showSearch={foldedSearch} options={units} loading={dir.loading} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('incoming.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Card>
        <div className="card-gap">
          <ErrorAlert error={error} />
        </div>
        <div className="page-actions">
          <Button type="primary" htmlType="submit" icon={<InboxOutlined aria-hidden="true" />} loading={busy}>
            {t('incoming.submit')}
          </Button>
        </div>
        <p className="muted small page-actions-note">{t('incoming.clerkNote', { name: me.fullName, unit: me.unitName })}</p>
      </Form>
    </>
  );
}
