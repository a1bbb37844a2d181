import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Divider, Form, Input, Row, Steps } from 'antd';
import type { Rule } from 'antd/es/form';
import { api } from '../../kit/api';
import { applySession } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { PublicLayout } from '../../kit/PublicLayout';
import type { SessionState } from '../../kit/types';
import { NewPasswordFields } from '../../kit/fields';
import { ErrorAlert } from '../../kit/ui';
import { CODE_RE, USERNAME_RE, requiredRule } from '../../kit/validation';

interface SetupForm {
  agencyName: string;
  agencyCode: string;
  parentBody: string;
  username: string;
  fullName: string;
  position: string;
  password: string;
  password2: string;
  headFullName: string;
  headPosition: string;
  headUsername: string;
  headPassword: string;
  headPassword2: string;
}

export function SetupSteps({ current }: { current: number }) {
  const { t } = useI18n();
  return (
    <Steps
      className="setup-steps"
      size="small"
      current={current}
      items={[{ title: t('setup.stepAgency') }, { title: t('setup.stepTotp') }, { title: t('setup.stepDone') }]}
    />
  );
}

export function SetupPage() {
  const i = useI18n();
  const { t } = i;
  /** The head and the administrator are two people: two accounts, two usernames. */
  const differentUsername =
    (other: keyof SetupForm): Rule =>
    ({ getFieldValue }) => ({
      validator: async (_r: unknown, value: string | undefined) => {
        const a = value?.trim().toLowerCase();
        const b = (getFieldValue(other) as string | undefined)?.trim().toLowerCase();
        if (a && b && a === b) throw new Error(t('setup.sameUsername'));
      },
    });
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: SetupForm) => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<SessionState>('/setup', {
        agency: { name: v.agencyName.trim(), code: v.agencyCode.trim(), parentBody: v.parentBody.trim() },
        admin: { username: v.username.trim(), fullName: v.fullName.trim(), position: v.position.trim(), password: v.password },
        head: { username: v.headUsername.trim(), fullName: v.headFullName.trim(), position: v.headPosition.trim(), password: v.headPassword },
      });
      applySession(qc, s);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout title={t('setup.title')} intro={t('setup.intro')} wide>
      <SetupSteps current={0} />
      <Form<SetupForm> layout="vertical" onFinish={submit} requiredMark initialValues={{ headPosition: t('setup.headPosition') }}>
        <Divider titlePlacement="start" className="form-section">
          <h2 className="section-h2">{t('setup.agency')}</h2>
        </Divider>
        <Form.Item name="agencyName" label={t('setup.agencyName')} rules={[requiredRule(i, t('setup.agencyName'))]}>
          <Input placeholder={t('setup.agencyNamePh')} maxLength={200} autoFocus />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="agencyCode"
              label={t('setup.agencyCode')}
              rules={[requiredRule(i, t('setup.agencyCode')), { pattern: CODE_RE, message: t('units.codeFormat') }]}
            >
              <Input placeholder={t('setup.agencyCodePh')} maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="parentBody" label={t('setup.parentBody')} rules={[requiredRule(i, t('setup.parentBody'))]}>
              <Input placeholder={t('setup.parentBodyPh')} maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        {/* The agency head confirms the security officer's account (issue 11, separation of duties). */}
        <section aria-labelledby="setup-head-h">
          <Divider titlePlacement="start" className="form-section">
            <h2 className="section-h2" id="setup-head-h">
              {t('setup.head')}
            </h2>
          </Divider>
          <Alert type="info" showIcon title={t('setup.headHint')} className="dialog-alert" />
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="headFullName" label={t('field.fullName')} rules={[requiredRule(i, t('field.fullName'))]}>
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="headPosition" label={t('field.position')} rules={[requiredRule(i, t('field.position'))]}>
                <Input maxLength={120} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="headUsername"
            label={t('field.username')}
            dependencies={['username']}
            rules={[requiredRule(i, t('field.username')), { pattern: USERNAME_RE, message: t('users.usernameFormat') }, differentUsername('username')]}
          >
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
          <NewPasswordFields label={t('field.initialPassword')} name="headPassword" inRow />
        </section>
        <section aria-labelledby="setup-admin-h">
          <Divider titlePlacement="start" className="form-section">
            <h2 className="section-h2" id="setup-admin-h">
              {t('setup.admin')}
            </h2>
          </Divider>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="username"
                label={t('field.username')}
                dependencies={['headUsername']}
                rules={[requiredRule(i, t('field.username')), { pattern: USERNAME_RE, message: t('users.usernameFormat') }, differentUsername('headUsername')]}
              >
                <Input autoComplete="username" maxLength={64} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="fullName" label={t('field.fullName')} rules={[requiredRule(i, t('field.fullName'))]}>
                <Input autoComplete="name" maxLength={120} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="position" label={t('field.position')} rules={[requiredRule(i, t('field.position'))]}>
            <Input maxLength={120} />
          </Form.Item>
          <NewPasswordFields label={t('password.label')} inRow />
        </section>
        <ErrorAlert error={error} />
        <div className="form-actions">
          <Button type="primary" htmlType="submit" loading={busy} size="large">
            {t('setup.submit')}
          </Button>
        </div>
      </Form>
    </PublicLayout>
  );
}
