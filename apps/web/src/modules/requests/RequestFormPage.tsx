import { useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Result, Row, Select } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { useI18n, type MessageKey } from '../../kit/i18n';
import type { Copy, ItemDetail } from '../../kit/types';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { useQueryParams } from '../../kit/useQueryParam';
import { enterTakesTypedDate, foldedSearch, requiredDateRule, requiredNumberRule, requiredRule } from '../../kit/validation';
import { useDirectory } from '../items/directory';
import { LevelTag } from '../items/labels';
import { useMyCopies } from '../items/useItemLists';
import { PersonPicker } from '../people/PersonPicker';
import { REQUEST_TYPES, REQUESTS_KEY, type RequestType, type RequestView } from './requests';
import {
  asksForCopies,
  detailIssues,
  draftRequestBody,
  formValuesOf,
  GROUP_OF_TYPE,
  isCopyingRequest,
  issueField,
  recipientKey,
  typeFromQuery,
  type RecipientForm,
  type RequestFormValues,
} from './requestForm';

// "Lập đề nghị": one form for every type of request (sao, chụp, trích sao; cung cấp, chuyển giao
// — Mẫu 17; mang ra khỏi nơi lưu giữ). "Lưu dự thảo" keeps a draft the requester may change;
// "Gửi đề nghị" saves, then submits it to whoever decides. The server checks everything again.

type Values = Omit<RequestFormValues, 'from' | 'to'> & { from?: Dayjs | null; to?: Dayjs | null };

/** Saved, but the submission was refused: the edit page says why (history state holds plain data only). */
interface SubmitRefusal {
  submitRefused: { status: number; code: string; message: string; requestId?: string };
}
const refusalOf = (state: unknown): ApiError | null => {
  const r = (state as Partial<SubmitRefusal> | null)?.submitRefused;
  return r ? new ApiError({ ...r, fromServer: true }) : null;
};

/** /requests/new?item=…&type=…: a new request about an item. */
export function NewRequestPage() {
  const [params] = useQueryParams();
  const itemId = params.get('item');
  const type = typeFromQuery(params.get('type'), REQUEST_TYPES);
  if (!itemId) return <ChooseItem />;
  return (
    <RequestForm
      key={itemId}
      itemId={itemId}
      initial={{ type: type ?? 'copy', purpose: '', form: 'sao_y', recipients: [{ kind: 'outside' }], commitment: false }}
    />
  );
}

/** /requests/:id/edit: a draft changed by its requester. */
export function EditRequestPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const location = useLocation();
  const q = useQuery({ queryKey: [...REQUESTS_KEY, 'one', id], queryFn: () => api.get<RequestView>(`/requests/${encodeURIComponent(id)}`) });
  if (q.isPending) return <PageTitle title={t('app.loading')} />;
  if (!q.data) {
    return (
      <>
        <PageTitle title={t('requestForm.editTitle')} />
        <ErrorAlert error={q.error} />
      </>
    );
  }
  if (!q.data.can.edit) {
    return (
      <>
        <PageTitle title={t('requestForm.editTitle')} />
        <Alert type="info" showIcon title={t('requestForm.notEditable')} action={<Link to={`/requests/${id}`}>{t('requestForm.openRequest')}</Link>} />
      </>
    );
  }
  return <RequestForm key={id} itemId={q.data.item.id} editing={q.data} initial={formValuesOf(q.data)} refused={refusalOf(location.state)} />;
}

/** Without an item in the address: the items this person holds, or the way through the item's page. */
function ChooseItem() {
  const i = useI18n();
  const { t } = i;
  const navigate = useNavigate();
  const can = useCan();
  const mine = useMyCopies(can('custody.mine'));
  const options = useMemo(() => {
    const seen = new Map<string, { value: string; label: string }>();
    for (const c of mine.data?.copies ?? []) {
      if (!c.level || seen.has(c.itemId)) continue;
      seen.set(c.itemId, { value: c.itemId, label: `${c.docType}${c.numberSymbol ? ` ${c.numberSymbol}` : ''} — ${i.clearanceLabel(c.level)}` });
    }
    return [...seen.values()];
  }, [mine.data, i]);
  return (
    <>
      <PageTitle title={t('requestForm.newTitle')} intro={t('requestForm.chooseIntro')} />
      <Card className="form-card" title={<h2 className="card-h2">{t('requestForm.sectionItem')}</h2>}>
        <Form layout="vertical" onFinish={(v: { itemId: string }) => navigate(`/requests/new?item=${encodeURIComponent(v.itemId)}`)} requiredMark>
          <Form.Item
            name="itemId"
            label={t('requestForm.heldItem')}
            extra={t('requestForm.heldItemHint')}
            rules={[requiredRule(i, t('requestForm.heldItem'), true)]}
          >
            <Select
              showSearch={foldedSearch}
              options={options}
              loading={mine.isPending && can('custody.mine')}
              notFoundContent={t('requestForm.noHeldItems')}
            />
          </Form.Item>
          <ErrorAlert error={mine.error} />
          {mine.isSuccess && options.length === 0 ? (
            <Alert type="info" showIcon className="dialog-alert" title={t('requestForm.noHeldItems')} description={t('requestForm.noHeldItemsHint')} />
          ) : null}
          <div className="page-actions">
            <Button onClick={() => navigate('/items')}>{t('requestForm.toItems')}</Button>
            <Button type="primary" htmlType="submit">
              {t('requestForm.continue')}
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}

const SHORT_TYPE: Record<RequestType, MessageKey> = {
  copy: 'requestForm.type.copy',
  photograph: 'requestForm.type.photograph',
  extract: 'requestForm.type.extract',
  provide_domestic: 'requestForm.type.provide_domestic',
  provide_foreign: 'requestForm.type.provide_foreign',
  take_out_domestic: 'requestForm.type.take_out_domestic',
  take_out_abroad: 'requestForm.type.take_out_abroad',
};

/** The types in the three families the law speaks of (Luật 29/2018 Đ.11, Đ.15–16, Đ.14). */
const TYPE_GROUPS: { name: MessageKey; types: RequestType[] }[] = [
  { name: 'requestForm.group.copying', types: ['copy', 'photograph', 'extract'] },
  { name: 'requestForm.group.provide', types: ['provide_domestic', 'provide_foreign'] },
  { name: 'requestForm.group.takeOut', types: ['take_out_domestic', 'take_out_abroad'] },
];

const toValues = (v: RequestFormValues): Values => ({ ...v, from: v.from ? dayjs(v.from) : null, to: v.to ? dayjs(v.to) : null });
const fromValues = (v: Values): RequestFormValues => ({
  ...v,
  from: v.from ? v.from.format('YYYY-MM-DD') : undefined,
  to: v.to ? v.to.format('YYYY-MM-DD') : undefined,
});

function RequestForm({ itemId, initial, editing, refused }: { itemId: string; initial: RequestFormValues; editing?: RequestView; refused?: ApiError | null }) {
  const i = useI18n();
  const { t } = i;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const dir = useDirectory();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(refused ?? null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const itemQ = useQuery({ queryKey: ['items', 'one', itemId], queryFn: () => api.get<ItemDetail>(`/items/${encodeURIComponent(itemId)}`) });
  const type = (Form.useWatch('type', form) ?? initial.type) as RequestType;
  const recipients = Form.useWatch('recipients', form) as RecipientForm[] | undefined;
  const group = GROUP_OF_TYPE[type];
  const item = itemQ.data?.item;
  const liveCopies = (itemQ.data?.copies ?? []).filter((c) => c.status === 'held');
  const unitOptions = dir.units.map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'vi'));
  const knownPeople = useMemo(() => {
    const out: { id: string; name: string }[] = [];
    // Names known here (the user list, for those who may read it); the picker's directory names the rest.
    for (const r of initial.recipients ?? []) {
      const name = r.kind === 'user' && r.userId ? dir.userName(r.userId) : undefined;
      if (r.userId && name) out.push({ id: r.userId, name });
    }
    return out;
  }, [initial.recipients, dir]);

  const invalidate = async () => {
    await qc.invalidateQueries({ queryKey: REQUESTS_KEY });
  };

  const save = async (submit: boolean) => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(submit ? 'submit' : 'save');
    let savedId: string | null = editing?.id ?? null;
    let saved = false;
    try {
      const body = draftRequestBody(itemId, fromValues(v));
      const r = editing ? await api.put<RequestView>(`/requests/${encodeURIComponent(editing.id)}`, body) : await api.post<RequestView>('/requests', body);
      savedId = r.id;
      saved = true;
      if (submit) await api.post<RequestView>(`/requests/${encodeURIComponent(r.id)}/submit`);
      await invalidate();
      void message.success(submit ? t('requestForm.submitted') : t('requestForm.saved'));
      navigate(`/requests/${r.id}`);
    } catch (e) {
      if (saved && savedId && !editing && e instanceof ApiError) {
        // The draft is kept; its edit page shows why it could not be sent.
        await invalidate();
        const state: SubmitRefusal = {
          submitRefused: { status: e.status, code: e.code, message: e.message, ...(e.requestId ? { requestId: e.requestId } : {}) },
        };
        navigate(`/requests/${savedId}/edit`, { replace: true, state });
        return;
      }
      if (saved) await invalidate();
      setError(e);
      const issues = e instanceof ApiError && e.code === 'request.details_invalid' ? detailIssues(e.details) : [];
      if (issues.length > 0) form.setFields(issues.map((x) => ({ name: issueField(x.path) as never, errors: [x.message] })));
    } finally {
      setBusy(null);
    }
  };

  const recipientRules = (name: number) => [
    ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
      validator: async () => {
        const all = (getFieldValue(['recipients']) as RecipientForm[] | undefined) ?? [];
        const key = recipientKey(all[name]);
        if (key && all.some((r, n) => n !== name && recipientKey(r) === key)) throw new Error(t('requestForm.recipientDuplicate'));
      },
    }),
  ];

  const text = (
    name: keyof RequestFormValues,
    label: MessageKey,
    max: number,
    opts: { required?: boolean; area?: boolean; placeholder?: MessageKey; extra?: MessageKey } = {},
  ) => (
    <Form.Item
      name={name}
      label={t(label)}
      extra={opts.extra ? t(opts.extra) : undefined}
      rules={
        opts.required === false
          ? [{ max, message: t('requestForm.tooLong', { max }) }]
          : [requiredRule(i, t(label)), { max, message: t('requestForm.tooLong', { max }) }]
      }
    >
      {opts.area ? (
        <Input.TextArea rows={3} maxLength={max} placeholder={opts.placeholder ? t(opts.placeholder) : undefined} />
      ) : (
        <Input maxLength={max} placeholder={opts.placeholder ? t(opts.placeholder) : undefined} />
      )}
    </Form.Item>
  );

  if (itemQ.isError) {
    return (
      <>
        <PageTitle title={editing ? t('requestForm.editTitle') : t('requestForm.newTitle')} />
        <ErrorAlert error={itemQ.error} />
      </>
    );
  }
  if (item && !item.level) {
    return (
      <>
        <PageTitle title={t('requestForm.newTitle')} />
        <Result status="info" title={t('requestForm.notClassified')} extra={<Link to={`/items/${item.id}`}>{t('requestForm.backToItem')}</Link>} />
      </>
    );
  }

  const copyLabel = (c: Copy) => `${c.label}${c.holderName ? ` — ${c.holderName}` : ''}`;

  return (
    <>
      <PageTitle title={editing ? t('requestForm.editTitle') : t('requestForm.newTitle')} intro={t('requestForm.intro')} />
      <Form<Values> form={form} layout="vertical" requiredMark initialValues={toValues(initial)} onFinish={() => void save(false)} className="request-form">
        <Card className="form-card" title={<h2 className="card-h2">{t('requestForm.sectionItem')}</h2>}>
          {item ? (
            <Descriptions column={1} size="small" bordered className="request-form-item">
              <Descriptions.Item label={t('request.item')}>
                <Link to={`/items/${item.id}`}>
                  {item.docType}
                  {item.numberSymbol ? ` ${item.numberSymbol}` : ''}
                </Link>{' '}
                <LevelTag level={item.level} />
              </Descriptions.Item>
              {item.origin === 'internal' ? (
                <Descriptions.Item label={t('item.copyAllowed')}>{item.copyAllowed ? t('common.yes') : t('requestForm.copyNo')}</Descriptions.Item>
              ) : null}
            </Descriptions>
          ) : (
            <p className="muted">{t('app.loading')}</p>
          )}
        </Card>

        <Card className="form-card card-gap" title={<h2 className="card-h2">{t('requestForm.sectionType')}</h2>}>
          <Form.Item name="type" rules={[requiredRule(i, t('request.type'), true)]}>
            <Radio.Group className="request-type-groups" aria-label={t('request.type')}>
              {TYPE_GROUPS.map((g) => (
                <div key={g.name} className="request-type-group">
                  <span className="request-type-group-name">{t(g.name)}</span>
                  {g.types.map((x) => (
                    <Radio key={x} value={x}>
                      {t(SHORT_TYPE[x])}
                    </Radio>
                  ))}
                </div>
              ))}
            </Radio.Group>
          </Form.Item>
          <p className="muted request-type-full">{t(`request.type.${type}` as MessageKey)}</p>
          {item && isCopyingRequest(type) && item.origin === 'internal' && !item.copyAllowed ? (
            <Alert type="warning" showIcon className="dialog-alert" title={t('requestForm.copyForbiddenWarning')} />
          ) : null}
        </Card>

        <Card className="form-card card-gap" title={<h2 className="card-h2">{t('requestForm.sectionDetails')}</h2>}>
          {group === 'copying' ? (
            <>
              <Row gutter={16}>
                {type === 'copy' ? (
                  <Col xs={24} md={12}>
                    <Form.Item name="form" label={t('request.detail.form')} rules={[requiredRule(i, t('request.detail.form'), true)]}>
                      <Radio.Group
                        options={[
                          { value: 'sao_y', label: t('request.form.sao_y') },
                          { value: 'sao_luc', label: t('request.form.sao_luc') },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                ) : null}
                <Col xs={24} md={12}>
                  <Form.Item
                    name="quantity"
                    label={t('request.detail.quantity')}
                    extra={t('requestForm.quantityHint')}
                    rules={[requiredNumberRule(i, t('request.detail.quantity'))]}
                  >
                    <InputNumber min={1} max={100} precision={0} className="full-width" />
                  </Form.Item>
                </Col>
              </Row>
              {type === 'photograph' ? text('subject', 'request.detail.subject', 500, { required: false, placeholder: 'requestForm.subjectPh' }) : null}
              {type === 'extract' ? text('part', 'request.detail.part', 1000, { area: true, placeholder: 'requestForm.partPh' }) : null}
              <Form.List
                name="recipients"
                rules={[
                  {
                    validator: async (_r, list: RecipientForm[] | undefined) => {
                      if (!list || list.length === 0) throw new Error(t('requestForm.recipientsRequired'));
                    },
                  },
                ]}
              >
                {(rows, { add, remove }, { errors }) => (
                  <fieldset className="request-recipients">
                    <legend className="request-legend">{t('request.detail.recipients')}</legend>
                    <ol className="recipient-list">
                      {rows.map((row, n) => {
                        const rkind = recipients?.[row.name]?.kind ?? 'outside';
                        return (
                          <li key={row.key} className="recipient-row" aria-label={t('requestForm.recipientN', { n: n + 1 })}>
                            <div className="recipient-head">
                              <span className="recipient-no">{t('requestForm.recipientN', { n: n + 1 })}</span>
                              {rows.length > 1 ? (
                                <Button
                                  size="small"
                                  icon={<DeleteOutlined aria-hidden="true" />}
                                  onClick={() => remove(row.name)}
                                  aria-label={t('requestForm.recipientRemove', { n: n + 1 })}
                                >
                                  {t('draft.remove')}
                                </Button>
                              ) : null}
                            </div>
                            <Row gutter={16} align="top">
                              <Col xs={24} lg={10}>
                                <Form.Item name={[row.name, 'kind']} label={t('draft.recipientKind')}>
                                  <Radio.Group
                                    optionType="button"
                                    options={[
                                      { value: 'user', label: t('draft.kindUser'), disabled: !dir.canListPeople },
                                      { value: 'unit', label: t('draft.kindUnit') },
                                      { value: 'outside', label: t('draft.kindOutside') },
                                    ]}
                                  />
                                </Form.Item>
                              </Col>
                              <Col xs={24} lg={14}>
                                {rkind === 'user' ? (
                                  <Form.Item
                                    name={[row.name, 'userId']}
                                    label={t('draft.person')}
                                    extra={t('people.pickerHint')}
                                    rules={[requiredRule(i, t('draft.person'), true), ...recipientRules(row.name)]}
                                  >
                                    <PersonPicker level={item?.level} known={knownPeople} />
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
                                    name={[row.name, 'name']}
                                    label={t('draft.outsideName')}
                                    rules={[requiredRule(i, t('draft.outsideName')), ...recipientRules(row.name)]}
                                  >
                                    <Input maxLength={300} placeholder={t('draft.outsidePh')} />
                                  </Form.Item>
                                )}
                              </Col>
                            </Row>
                          </li>
                        );
                      })}
                    </ol>
                    <Form.ErrorList errors={errors} />
                    {rows.length < 50 ? (
                      <Button icon={<PlusOutlined aria-hidden="true" />} onClick={() => add({ kind: 'outside' })}>
                        {t('draft.addRecipient')}
                      </Button>
                    ) : null}
                  </fieldset>
                )}
              </Form.List>
            </>
          ) : null}

          {group === 'provide' ? (
            <>
              <p className="muted">{t(type === 'provide_foreign' ? 'requestForm.provideForeignHint' : 'requestForm.provideDomesticHint')}</p>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  {text('requestingBody', 'request.detail.requestingBody', 300)}
                </Col>
                <Col xs={24} md={12}>
                  {text('representative', 'request.detail.representative', 200)}
                </Col>
                <Col xs={24} md={12}>
                  {text('representativePosition', 'request.detail.representativePosition', 200, { required: type === 'provide_foreign' })}
                </Col>
                {type === 'provide_foreign' ? (
                  <Col xs={24} md={12}>
                    {text('nationality', 'request.detail.nationality', 100)}
                  </Col>
                ) : null}
                <Col xs={24} md={12}>
                  {text('idDocument', 'request.detail.idDocument', 100, {
                    extra: type === 'provide_foreign' ? 'requestForm.passportHint' : 'requestForm.idHint',
                  })}
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="quantity" label={t('requestForm.provideQuantity')}>
                    <InputNumber min={1} max={100} precision={0} className="full-width" />
                  </Form.Item>
                </Col>
              </Row>
              {text('whatAsked', 'request.detail.whatAsked', 2000, { area: true })}
              <Form.Item
                name="commitment"
                valuePropName="checked"
                rules={[
                  {
                    validator: async (_r, v: unknown) => {
                      if (v !== true) throw new Error(t('requestForm.commitmentRequired'));
                    },
                  },
                ]}
              >
                <Checkbox>{t('requestForm.commitment')}</Checkbox>
              </Form.Item>
            </>
          ) : null}

          {group === 'takeOut' ? (
            <>
              <Row gutter={16}>
                <Col xs={24} md={type === 'take_out_abroad' ? 12 : 24}>
                  {text('place', 'request.detail.place', 300, { placeholder: 'requestForm.placePh' })}
                </Col>
                {type === 'take_out_abroad' ? (
                  <Col xs={24} md={12}>
                    {text('country', 'request.detail.country', 100)}
                  </Col>
                ) : null}
                <Col xs={24} md={12}>
                  <Form.Item name="from" label={t('requestForm.from')} rules={[requiredDateRule(i, t('requestForm.from'))]}>
                    <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} onKeyDown={enterTakesTypedDate} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="to"
                    label={t('requestForm.to')}
                    dependencies={['from']}
                    rules={[
                      requiredDateRule(i, t('requestForm.to')),
                      ({ getFieldValue }) => ({
                        validator: async (_r, v: Dayjs | null | undefined) => {
                          const from = getFieldValue('from') as Dayjs | null | undefined;
                          if (v && from && v.isBefore(from, 'day')) throw new Error(t('requestForm.toBeforeFrom'));
                        },
                      }),
                    ]}
                  >
                    <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} onKeyDown={enterTakesTypedDate} />
                  </Form.Item>
                </Col>
              </Row>
              {text('protectionMeasures', 'request.detail.protectionMeasures', 2000, { area: true, placeholder: 'requestForm.protectionPh' })}
            </>
          ) : null}

          {asksForCopies(type) ? (
            liveCopies.length > 0 ? (
              <Form.Item
                name="copyIds"
                label={t('requestForm.copies')}
                extra={t(group === 'takeOut' ? 'requestForm.copiesTakeOutHint' : 'requestForm.copiesProvideHint')}
                // Taking out moves named copies (take_out.no_copies otherwise, at execution). A validator,
                // not `required`: antd would put aria-required on the checkbox group's plain div (axe).
                rules={
                  group === 'takeOut'
                    ? [
                        {
                          validator: async (_r, v: string[] | undefined) => {
                            if (!v || v.length === 0) throw new Error(t('requestForm.copiesRequired'));
                          },
                        },
                      ]
                    : []
                }
              >
                <Checkbox.Group className="request-copies" options={liveCopies.map((c) => ({ value: c.id, label: copyLabel(c) }))} />
              </Form.Item>
            ) : (
              <Alert
                type={group === 'takeOut' ? 'warning' : 'info'}
                showIcon
                className="dialog-alert"
                title={t(group === 'takeOut' ? 'requestForm.noCopiesTakeOut' : 'requestForm.noCopies')}
              />
            )
          ) : null}

          {text('purpose', 'request.purpose', 2000, { area: true, placeholder: 'requestForm.purposePh' })}
        </Card>

        <div className="card-gap" aria-live="polite">
          <ErrorAlert error={error} detail={error === refused && refused ? <div>{t('requestForm.savedNotSent')}</div> : undefined} />
        </div>
        <div className="page-actions">
          <Button onClick={() => navigate(editing ? `/requests/${editing.id}` : `/items/${itemId}`)}>{t('common.cancel')}</Button>
          <Button htmlType="submit" icon={<SaveOutlined aria-hidden="true" />} loading={busy === 'save'} disabled={busy !== null || !item}>
            {t('requestForm.saveDraft')}
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined aria-hidden="true" />}
            loading={busy === 'submit'}
            disabled={busy !== null || !item}
            onClick={() => void save(true)}
          >
            {t('requestForm.submit')}
          </Button>
        </div>
        <p className="muted small page-actions-note">{t('requestForm.submitNote')}</p>
      </Form>
    </>
  );
}
