import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { CheckOutlined, EditOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import type { Item, SummaryCompletion } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';

/** Refusals that explain a wait to the named person or the clerk; others mean "not yours": no card. */
const WAITING: Record<string, 'summary.waitSign' | 'summary.waitAgreement' | 'summary.done'> = {
  'summary.envelope_not_opened': 'summary.waitSign',
  'summary.no_agreement': 'summary.waitAgreement',
  'summary.already_completed': 'summary.done',
};

/**
 * "Bổ sung trích yếu": an addressee-only envelope was registered without a summary; once its named
 * person has signed for it and opened it, they write the summary, or agree that the văn thư does.
 * The server decides who may (GET …/summary-completion asks the same rule the writes use).
 */
export function SummaryCompletionCard({ item, onChanged }: { item: Item; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ summary: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'agree' | 'save' | null>(null);
  const q = useQuery({
    queryKey: ['items', 'one', item.id, 'summary-completion'],
    queryFn: () => api.get<SummaryCompletion>(`/items/${encodeURIComponent(item.id)}/summary-completion`),
  });
  const s = q.data;
  if (!s) return null;
  const waiting = s.complete.refusal ? WAITING[s.complete.refusal] : undefined;
  if (!s.complete.allowed && !s.agree.allowed && !waiting) return null;

  const act = async (what: 'agree' | 'save', call: () => Promise<unknown>, done: string) => {
    setBusy(what);
    setError(null);
    try {
      await call();
      await q.refetch();
      await onChanged();
      void message.success(done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card className="card-gap summary-completion" title={<h2 className="card-h2">{t('summary.title')}</h2>}>
      <p className="muted">{t('summary.intro')}</p>
      {waiting && !s.complete.allowed ? <Alert type="info" showIcon className="dialog-alert" title={t(waiting)} /> : null}
      {s.complete.allowed && s.complete.via === 'clerk_with_agreement' ? (
        <Alert type="info" showIcon className="dialog-alert" title={t('summary.clerkNote')} />
      ) : null}
      {s.complete.allowed && s.complete.via === 'named_addressee' && s.agreed ? <p className="muted">{t('summary.agreedWaiting')}</p> : null}
      {s.complete.allowed ? (
        <Form<{ summary: string }>
          form={form}
          layout="vertical"
          requiredMark
          onFinish={(v) => void act('save', () => api.post(`/items/${item.id}/summary`, { summary: v.summary.trim() }), t('summary.saved'))}
        >
          <Form.Item
            name="summary"
            label={t('summary.field')}
            extra={t('summary.fieldHint')}
            rules={[{ required: true, whitespace: true, message: t('summary.required') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <div aria-live="polite">
            <ErrorAlert error={error} />
          </div>
          <div className="form-actions">
            {s.agree.allowed ? (
              <Button
                icon={<CheckOutlined aria-hidden="true" />}
                loading={busy === 'agree'}
                onClick={() => void act('agree', () => api.post(`/items/${item.id}/summary-agreement`), t('summary.agreeDone'))}
              >
                {t('summary.agree')}
              </Button>
            ) : null}
            <Button type="primary" htmlType="submit" icon={<EditOutlined aria-hidden="true" />} loading={busy === 'save'}>
              {t('summary.save')}
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
