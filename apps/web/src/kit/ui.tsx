import { useEffect, useMemo, useState, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { Alert, Button, Form, Modal, Space, Tag, Typography } from 'antd';
import type { Clearance, Role } from '@khomat/policy';
import { ApiError } from './api';
import { useI18n } from './i18n';

/** Sets the browser tab title: "<page> — KhoMật". */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — KhoMật` : 'KhoMật';
  }, [title]);
}

export function PageTitle({ title, intro, extra }: { title: string; intro?: ReactNode; extra?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-title">
      <div className="page-title-row">
        <Typography.Title level={1} className="page-h1">
          {title}
        </Typography.Title>
        {extra ? <Space wrap>{extra}</Space> : null}
      </div>
      {intro ? <Typography.Paragraph className="page-intro">{intro}</Typography.Paragraph> : null}
    </div>
  );
}

/** A server's (or the network's) refusal in words; `detail` adds what the error's details say. */
export function ErrorAlert({ error, detail }: { error: unknown; detail?: ReactNode }) {
  const { t, errorText } = useI18n();
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="form-error"
      title={errorText(error)}
      description={
        detail || requestId ? (
          <>
            {detail}
            {requestId ? (
              <span className="request-id">
                {t('common.requestId')}: {requestId}
              </span>
            ) : null}
          </>
        ) : undefined
      }
    />
  );
}

const CLEARANCE_STYLE: Record<Clearance, { color: string; background: string; border: string }> = {
  TOP_SECRET: { color: '#ffffff', background: '#b71c1c', border: '#b71c1c' },
  SECRET: { color: '#ffffff', background: '#ad4e00', border: '#ad4e00' },
  CONFIDENTIAL: { color: '#ffffff', background: '#7a5d00', border: '#7a5d00' },
  NONE: { color: '#3d3d3d', background: '#f2f2f2', border: '#bfbfbf' },
};

export function ClearanceTag({ clearance }: { clearance: Clearance }) {
  const { clearanceLabel } = useI18n();
  const s = CLEARANCE_STYLE[clearance] ?? CLEARANCE_STYLE.NONE;
  return (
    <Tag className="clearance-tag" data-clearance={clearance} style={{ color: s.color, background: s.background, borderColor: s.border }}>
      {clearanceLabel(clearance)}
    </Tag>
  );
}

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  const { t, roleLabel } = useI18n();
  if (roles.length === 0) return <span className="muted">{t('role.none')}</span>;
  return (
    <span className="role-tags">
      {roles.map((r) => (
        <Tag key={r} className="role-tag">
          {roleLabel(r)}
        </Tag>
      ))}
    </span>
  );
}

/** antd Table `components` that give the table a caption (read by screen readers). */
export function useTableCaption(caption: string) {
  return useMemo(
    () => ({
      table: ({ children, ...rest }: ComponentPropsWithoutRef<'table'>) => (
        <table {...rest}>
          <caption className="sr-only">{caption}</caption>
          {children}
        </table>
      ),
    }),
    [caption],
  );
}

export interface FormModalProps<V> {
  open: boolean;
  title: string;
  submitText: string;
  onClose: () => void;
  /** Throwing keeps the dialog open and shows the error inside it. */
  onSubmit: (values: V) => Promise<void>;
  initialValues?: Partial<V>;
  danger?: boolean;
  width?: number;
  /** What an error's details say, shown inside the error (e.g. the copies that block a deactivation). */
  errorDetail?: (error: unknown) => ReactNode;
  children: ReactNode;
}

/**
 * A dialog holding one form whose buttons are inside the form, so that Enter submits it.
 * The form is rebuilt each time the dialog opens.
 */
export function FormModal<V extends object>(props: FormModalProps<V>) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open]);
  return (
    <Modal open={props.open} title={props.title} onCancel={props.onClose} footer={null} destroyOnHidden width={props.width ?? 560} maskClosable={false}>
      <Form<V>
        layout="vertical"
        initialValues={props.initialValues}
        requiredMark
        onFinish={async (values) => {
          setBusy(true);
          setError(null);
          try {
            await props.onSubmit(values);
            props.onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.children}
        <ErrorAlert error={error} detail={error && props.errorDetail ? props.errorDetail(error) : undefined} />
        <div className="form-actions">
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={busy} danger={props.danger}>
            {props.submitText}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
