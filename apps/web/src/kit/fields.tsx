import { Col, Form, Input, Row } from 'antd';
import type { Rule } from 'antd/es/form';
import { useI18n } from './i18n';
import { confirmRules, passwordRules } from './validation';

// Form fields that several dialogs and forms ask for in the same words and with the same rules.

/** The required "Lý do" of a recorded decision (cancel, revoke, close, deactivate…), named `reason`. */
export function ReasonField({ placeholder, autoFocus }: { placeholder?: string; autoFocus?: boolean }) {
  const { t } = useI18n();
  return (
    <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}>
      <Input maxLength={500} placeholder={placeholder} autoFocus={autoFocus} />
    </Form.Item>
  );
}

export interface NewPasswordFieldsProps {
  /** The label of the first field (its repeat is always "Nhập lại mật khẩu"). */
  label: string;
  /** Field name; the repeat is named `<name>2`. */
  name?: string;
  /** Side by side on wide screens rather than one under the other. */
  inRow?: boolean;
  autoFocus?: boolean;
  /** Rules beyond the server's password rule, and the fields they read. */
  moreRules?: Rule[];
  dependencies?: string[];
}

/** A new password and its repeat, checked against the server's password rule and each other. */
export function NewPasswordFields({ label, name = 'password', inRow, autoFocus, moreRules = [], dependencies }: NewPasswordFieldsProps) {
  const i = useI18n();
  const first = (
    <Form.Item name={name} label={label} extra={i.t('password.rule')} dependencies={dependencies} rules={[...passwordRules(i, label), ...moreRules]}>
      <Input.Password autoComplete="new-password" autoFocus={autoFocus} />
    </Form.Item>
  );
  const repeat = (
    <Form.Item name={`${name}2`} label={i.t('password.confirm')} dependencies={[name]} rules={confirmRules(i, name)}>
      <Input.Password autoComplete="new-password" />
    </Form.Item>
  );
  if (!inRow) {
    return (
      <>
        {first}
        {repeat}
      </>
    );
  }
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        {first}
      </Col>
      <Col xs={24} md={12}>
        {repeat}
      </Col>
    </Row>
  );
}
