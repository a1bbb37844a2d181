import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { civilDateInVietnam, ITEM_KIND_TABLE, LEVEL_TABLE, protectionEnd } from '@khomat/policy';
import { api, ApiError } from '../../kit/api';
import { useMe } from '../../kit/auth';
import { formatCivilDate } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { CatalogItem, Item } from '../../kit/types';
import { PageTitle } from '../../kit/ui';
import { requiredDateRule, requiredNumberRule, requiredRule, foldedSearch } from '../../kit/validation';
import { useCatalogFields } from '../catalog/useCatalog';
import { PersonPicker } from '../people/PersonPicker';
import { CatalogBasisField } from './CatalogBasisField';
import { useDirectory } from './directory';
import { copiesOf, draftBody, levelFromBasis, recipientKey, type DraftForm, type RecipientForm } from './draft';
import { LevelTag, useRegistryLabels } from './labels';
import { RuleErrorAlert } from './RuleErrorAlert';
import { flashState } from './flash';

type Values = Omit<DraftForm, 'until'> & { until?: Dayjs | null };

/** A saved draft (or returned proposal) opened for editing: PATCH /api/items/:id replaces it whole. */
export interface DraftEdit {
  item: Item;
  initial: DraftForm;
  /** The catalogue entries of `initial.basis` that could be found. */
  basis: CatalogItem[];
  /** Names already known for the recipient ids (the picker shows them before any search). */
  knownPeople: { id: string; name: string }[];
}

export function toFormValues(f: DraftForm): Values {
  const { until, ...rest } = f;
  return { ...rest, until: until ? dayjs(until) : null };
}

const DOC_TYPES = ['Báo cáo', 'Công văn', 'Tờ trình', 'Kế hoạch', 'Quyết định', 'Thông báo', 'Biên bản', 'Đề án', 'Phương án'];

export function DraftPage({ edit }: { edit?: DraftEdit } = {}) {
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const labels = useRegistryLabels();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const dir = useDirectory();
  const fields = useCatalogFields();
  const [picked, setPicked] = useState<ReadonlyMap<string, CatalogItem>>(() => new Map((edit?.basis ?? []).map((c) => [c.id, c])));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'propose' | null>(null);

  const kind = Form.useWatch('kind', form);
  const field = Form.useWatch('field', form);
  const basis = Form.useWatch('basis', form);
  const recipients = Form.useWatch('recipients', form);
  const shorter = Form.useWatch('shorter', form);
  const shorterMode = Form.useWatch('shorterMode', form);

  const chosen = useMemo(() => (basis ?? []).map((id) => picked.get(id)).filter((c): c is CatalogItem => !!c), [basis, picked]);
  const level = levelFromBasis(chosen.map((c) => c.level));
  const suggestedYears = chosen.map((c) => c.shorterPeriodYears).find((y): y is number => typeof y === 'number');
  const kindDef = kind ? ITEM_KIND_TABLE[kind] : undefined;
  const shorterAllowed = kindDef?.shorterPeriodAllowed ?? true;
  const sumCopies = copiesOf(recipients);

  // The number of copies follows the recipients until the person types one (an edited draft keeps its own).
  useEffect(() => {
    if (!edit && !form.isFieldTouched('copyCount') && sumCopies > 0) form.setFieldValue('copyCount', sumCopies);
  }, [sumCopies, form, edit]);
  useEffect(() => {
    if (!shorterAllowed && form.getFieldValue('shorter')) form.setFieldValue('shorter', false);
  }, [shorterAllowed, form]);

  const today = civilDateInVietnam(new Date());
  const endPreview = (() => {
    if (!level || !kindDef) return null;
    if (kindDef.periodEnds === 'while_in_use') return t('draft.periodWhileInUse');
    const r = protectionEnd({ level, classifiedOn: today, shorterPeriod: null });
    return r.ok ? t('draft.periodBase', { years: LEVEL_TABLE[level].protectionYears, date: formatCivilDate(r.end) }) : null;
  })();

  const unitOptions = dir.units.map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'vi'));

  const submit = async (propose: boolean) => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!level) return;
    setBusy(propose ? 'propose' : 'save');
    let item: Item | null = null;
    try {
      const body = draftBody({ ...v, until: v.until ? v.until.format('YYYY-MM-DD') : undefined }, level);
      item = edit ? await api.patch<Item>(`/items/${encodeURIComponent(edit.item.id)}`, body) : await api.post<Item>('/items', body);
      void qc.invalidateQueries({ queryKey: ['items'] });
      if (!propose) {
        void message.success(t('draft.saved'));
        navigate(`/items/${item.id}`, { state: flashState('saved') });
        return;
      }
      await api.post<Item>(`/items/${item.id}/propose`);
      void message.success(t('draft.proposed'));
      navigate(`/items/${item.id}`, { state: flashState('proposed') });
    } catch (e) {
      if (item) {
        // Saved, but the proposal was refused: the item page shows why, and offers to try again.
        navigate(`/items/${item.id}`, { state: flashState('saved', e instanceof ApiError ? e : null) });
      } else setError(e);
    } finally {
      setBusy(null);
    }
  };

  const recipientRules = (name: number) => [
    ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
      validator: async () => {
        const all = (getFieldValue(['recipients']) as RecipientForm[] | undefined) ?? [];
        const key = recipientKey(all[name]);
        if (key && all.some((r, n) => n !== name && recipientKey(r) === key)) throw new Error(t('draft.recipientDuplicate'));
      },
    }),
  ];

  const knownPeople = edit?.knownPeople;
  return (
    <>
      <PageTitle title={edit ? t('draft.editTitle') : t('draft.title')} intro={edit ? t('draft.editIntro') : t('draft.intro')} />
      {edit?.item.state === 'returned' && edit.item.returnReason ? (
        <Alert
          type="warning"
          showIcon
          className="dialog-alert return-reason"
          title={t('item.returnedTitle')}
          description={t('item.returnedReason', { reason: edit.item.returnReason })}
        />
      ) : null}
      {edit?.item.state === 'returned' ? <p className="muted">{t('draft.editReturnedHint')}</p> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark
        initialValues={
          edit ? toFormValues(edit.initial) : { kind: 'document', recipients: [{ kind: 'unit', copies: 1 }], shorterMode: 'length', recallRequired: false }
        }
        onFinish={() => void submit(false)}
        scrollToFirstError
      >
        <Card className="form-card" title={<h2 className="card-h2">{t('draft.sectionItem')}</h2>}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('item.kind')} rules={[requiredRule(i, t('item.kind'), true)]}>
                <Select options={labels.kinds} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="docType" label={t('item.docType')} extra={t('draft.docTypeHint')} rules={[requiredRule(i, t('item.docType'))]}>
                <AutoComplete
                  options={DOC_TYPES.map((d) => ({ value: d }))}
                  showSearch={{ filterOption: (input, o) => (o?.value ?? '').toLocaleLowerCase('vi').includes(input.toLocaleLowerCase('vi')) }}
                  maxLength={100}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="summary" label={t('item.summary')} extra={t('draft.summaryHint')} rules={[requiredRule(i, t('item.summary'))]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Card>

        <Card className="form-card card-gap" title={<h2 className="card-h2">{t('draft.sectionBasis')}</h2>}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="field" label={t('item.field')} extra={t('draft.fieldHint')} rules={[requiredRule(i, t('item.field'), true)]}>
                <Select
                  showSearch={foldedSearch}
                  loading={fields.isPending}
                  options={(fields.data ?? []).map((f) => ({ value: f, label: f }))}
                  notFoundContent={t('draft.noFields')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item
                name="basis"
                label={t('draft.basis')}
                extra={t('draft.basisHint')}
                rules={[{ required: true, type: 'array', min: 1, message: t('draft.basisRequired') }]}
              >
                <CatalogBasisField
                  field={field}
                  picked={picked}
                  onPicked={(items) => {
                    setPicked((prev) => {
                      const next = new Map(prev);
                      for (const c of items) next.set(c.id, c);
                      return next;
                    });
                    const first = items[0];
                    if (first && !form.getFieldValue('field')) form.setFieldValue('field', first.field);
                  }}
                />
              </Form.Item>
            </Col>
          </Row>
          <div className="level-box" aria-live="polite">
            <div className="level-box-label" id="draft-level-label">
              {t('item.proposedLevel')}
            </div>
            {level ? (
              <div aria-labelledby="draft-level-label">
                <LevelTag level={level} />
                <span className="level-box-note">{chosen.length > 1 ? t('draft.levelFromHighest') : t('draft.levelFromBasis')}</span>
                {endPreview ? <div className="level-box-period">{endPreview}</div> : null}
              </div>
            ) : (
              <div className="muted">{t('draft.levelEmpty')}</div>
            )}
          </div>
          {shorterAllowed ? (
            <>
              <Form.Item name="shorter" valuePropName="checked" className="tight-item">
                <Checkbox>{t('draft.shorter')}</Checkbox>
              </Form.Item>
              {shorter ? (
                <div className="shorter-box">
                  {suggestedYears ? (
                    <Alert type="info" showIcon className="dialog-alert" title={t('draft.shorterSuggested', { years: suggestedYears })} />
                  ) : null}
                  <Form.Item name="shorterMode" label={t('draft.shorterMode')}>
                    <Radio.Group>
                      <Radio value="length">{t('draft.shorterLength')}</Radio>
                      <Radio value="until">{t('draft.shorterUntil')}</Radio>
                    </Radio.Group>
                  </Form.Item>
                  {shorterMode === 'until' ? (
                    <Form.Item name="until" label={t('draft.untilDate')} rules={[requiredDateRule(i, t('draft.untilDate'))]}>
                      <DatePicker format="DD/MM/YYYY" placeholder={t('audit.datePh')} />
                    </Form.Item>
                  ) : (
                    <Space wrap align="start">
                      <Form.Item name="years" label={t('draft.years')}>
                        <InputNumber min={0} max={30} precision={0} />
                      </Form.Item>
                      <Form.Item name="months" label={t('draft.months')}>
                        <InputNumber min={0} max={360} precision={0} />
                      </Form.Item>
                      <Form.Item
                        name="days"
                        label={t('draft.days')}
                        dependencies={['years', 'months']}
                        rules={[
                          ({ getFieldValue }) => ({
                            validator: async (_r, d: number | null | undefined) => {
                              if (!getFieldValue('years') && !getFieldValue('months') && !d) throw new Error(t('draft.shorterEmpty'));
                            },
                          }),
                        ]}
                      >
                        <InputNumber min={0} max={11000} precision={0} />
                      </Form.Item>
                    </Space>
                  )}
                </div>
              ) : null}
            </>
          ) : (
            <p className="muted">{t('draft.shorterNotForKind')}</p>
          )}
        </Card>

        <Card className="form-card card-gap" title={<h2 className="card-h2">{t('draft.sectionRecipients')}</h2>}>
          {!dir.canListPeople ? <Alert type="info" showIcon className="dialog-alert" title={t('draft.noPeopleHint')} /> : null}
          <Form.List
            name="recipients"
            rules={[
              {
                validator: async (_r, list: RecipientForm[] | undefined) => {
                  if (!list || list.length === 0) throw new Error(t('draft.recipientsRequired'));
                },
              },
            ]}
          >
            {(rows, { add, remove }, { errors }) => (
              <>
                <ol className="recipient-list">
                  {rows.map((row, n) => {
                    const r = recipients?.[row.name];
                    const rkind = r?.kind ?? 'unit';
                    return (
                      <li key={row.key} className="recipient-row" aria-label={t('draft.recipientN', { n: n + 1 })}>
                        <div className="recipient-head">
                          <span className="recipient-no">{t('draft.recipientN', { n: n + 1 })}</span>
                          {rows.length > 1 ? (
                            <Button
                              size="small"
                              icon={<DeleteOutlined aria-hidden="true" />}
                              onClick={() => remove(row.name)}
                              aria-label={t('draft.recipientRemove', { n: n + 1 })}
                            >
                              {t('draft.remove')}
                            </Button>
                          ) : null}
                        </div>
                        <Row gutter={16} align="top">
                          <Col xs={24} lg={9}>
                            <Form.Item name={[row.name, 'kind']} label={t('draft.recipientKind')}>
                              <Radio.Group
                                optionType="button"
                                onChange={() => {
                                  form.setFieldValue(['recipients', row.name, 'addresseeOnly'], false);
                                }}
                                options={[
                                  { value: 'user', label: t('draft.kindUser'), disabled: !dir.canListPeople },
                                  { value: 'unit', label: t('draft.kindUnit') },
                                  { value: 'outside', label: t('draft.kindOutside') },
                                ]}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={24} sm={16} lg={10}>
                            {rkind === 'user' ? (
                              <Form.Item
                                name={[row.name, 'userId']}
                                label={t('draft.person')}
                                extra={t('people.pickerHint')}
                                rules={[requiredRule(i, t('draft.person'), true), ...recipientRules(row.name)]}
                              >
                                <PersonPicker level={level} known={knownPeople} />
                              </Form.Item>
                            ) : rkind === 'unit' ? (
                              <Form.Item
                                name={[row.name, 'unitId']}
                                label={t('draft.unit')}
                                rules={[requiredRule(i, t('draft.unit'), true), ...recipientRules(row.name)]}
                              >
                                <Select showSearch={foldedSearch} options={unitOptions} loading={dir.loading} />
                              </Form.Item>
                            ) : (
                              <Form.Item
                                name={[row.name, 'outsideName']}
                                label={t('draft.outsideName')}
                                rules={[requiredRule(i, t('draft.outsideName')), ...recipientRules(row.name)]}
                              >
                                <Input maxLength={300} placeholder={t('draft.outsidePh')} />
                              </Form.Item>
                            )}
                          </Col>
                          <Col xs={24} sm={8} lg={5}>
                            <Form.Item name={[row.name, 'copies']} label={t('draft.copies')} rules={[requiredNumberRule(i, t('draft.copies'))]}>
                              <InputNumber min={1} max={1000} precision={0} className="full-width" />
                            </Form.Item>
                          </Col>
                        </Row>
                        {rkind === 'user' ? (
                          <Form.Item name={[row.name, 'addresseeOnly']} valuePropName="checked" className="tight-item" extra={t('draft.addresseeOnlyHint')}>
                            <Checkbox>{t('item.addresseeOnly')}</Checkbox>
                          </Form.Item>
                        ) : null}
                      </li>
                    );
                  })}
                </ol>
                <Form.ErrorList errors={errors} />
                <Button icon={<PlusOutlined aria-hidden="true" />} onClick={() => add({ kind: 'unit', copies: 1 })}>
                  {t('draft.addRecipient')}
                </Button>
              </>
            )}
          </Form.List>

          <Row gutter={16} className="card-gap">
            <Col xs={24} md={8}>
              <Form.Item
                name="copyCount"
                label={t('item.copyCount')}
                extra={t('draft.copyCountHint', { n: sumCopies })}
                dependencies={['recipients']}
                rules={[
                  requiredNumberRule(i, t('item.copyCount')),
                  ({ getFieldValue }) => ({
                    validator: async (_r, value: number | null | undefined) => {
                      const need = copiesOf(getFieldValue('recipients') as RecipientForm[] | undefined);
                      if (typeof value === 'number' && value < need) throw new Error(t('draft.copyCountTooLow', { n: need }));
                    },
                  }),
                ]}
              >
                <InputNumber min={1} max={1000} precision={0} className="full-width" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="copyAllowed" label={t('item.copyAllowed')} rules={[{ required: true, message: t('draft.copyAllowedRequired') }]}>
                <Radio.Group aria-label={t('item.copyAllowed')}>
                  <Radio value="yes">{t('draft.copyYes')}</Radio>
                  <Radio value="no">{t('draft.copyNo')}</Radio>
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="recallRequired" valuePropName="checked" label={t('item.recall')} extra={t('draft.recallHint')}>
                <Checkbox>{t('draft.recall')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <div className="card-gap">
          <RuleErrorAlert error={error} />
        </div>
        <div className="page-actions">
          <Button onClick={() => (edit ? navigate(`/items/${edit.item.id}`) : navigate(-1))}>{t('common.cancel')}</Button>
          <Button htmlType="submit" icon={<SaveOutlined aria-hidden="true" />} loading={busy === 'save'} disabled={busy !== null}>
            {edit ? t('draft.saveChanges') : t('draft.save')}
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined aria-hidden="true" />}
            loading={busy === 'propose'}
            disabled={busy !== null}
            onClick={() => void submit(true)}
          >
            {t('draft.saveAndPropose')}
          </Button>
        </div>
        <p className="muted small page-actions-note">{t('draft.drafterNote', { name: me.fullName, unit: me.unitName })}</p>
      </Form>
    </>
  );
}
