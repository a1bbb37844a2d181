import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Space } from 'antd';
import { FormOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { ErrorAlert } from '../../kit/ui';
import { REQUESTS_KEY, type RequestView } from './requests';

/**
 * The requester's own moves on the request page: edit and send a draft, withdraw a request not yet
 * decided. What the server allows comes with the request (`can`); a refusal at sending
 * (copy-forbidden, clearance below the item's level) is shown here, in the server's words.
 */
export function RequesterActions({ request: r }: { request: RequestView }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<'submit' | 'cancel' | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!r.can.edit && !r.can.submit && !r.can.cancel) return null;

  const run = async (what: 'submit' | 'cancel', done: string) => {
    setBusy(what);
    setError(null);
    try {
      const next = await api.post<RequestView>(`/requests/${encodeURIComponent(r.id)}/${what}`);
      qc.setQueryData([...REQUESTS_KEY, 'one', r.id], next);
      await qc.invalidateQueries({ queryKey: REQUESTS_KEY });
      void message.success(done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <section className="action-bar requester-actions" aria-label={t('requestForm.ownActions')}>
        <span className="action-note">
          {r.status === 'draft'
            ? t('requestForm.draftNote')
            : r.route === 'higher_authority'
              ? t('requestForm.waitingOutsideNote')
              : t('requestForm.waitingNote')}
        </span>
        <Space wrap>
          {r.can.edit ? (
            <Button icon={<FormOutlined aria-hidden="true" />} onClick={() => navigate(`/requests/${r.id}/edit`)} disabled={busy !== null}>
              {t('requestForm.editDraft')}
            </Button>
          ) : null}
          {r.can.submit ? (
            <Button
              type="primary"
              icon={<SendOutlined aria-hidden="true" />}
              loading={busy === 'submit'}
              disabled={busy !== null}
              onClick={() => void run('submit', t('requestForm.submitted'))}
            >
              {t('requestForm.submit')}
            </Button>
          ) : null}
          {r.can.cancel ? (
            <Button
              danger
              icon={<StopOutlined aria-hidden="true" />}
              loading={busy === 'cancel'}
              disabled={busy !== null}
              onClick={() =>
                modal.confirm({
                  title: t('requestForm.cancelTitle'),
                  content: t('requestForm.cancelConfirm'),
                  okText: t('requestForm.cancelRequest'),
                  okButtonProps: { danger: true },
                  cancelText: t('requestForm.keep'),
                  onOk: () => run('cancel', t('requestForm.cancelled')),
                })
              }
            >
              {t('requestForm.cancelRequest')}
            </Button>
          ) : null}
        </Space>
      </section>
      <div aria-live="polite">
        <ErrorAlert error={error} />
      </div>
    </>
  );
}
