import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Row, Space } from 'antd';
import { applySession, SESSION_KEY, useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { ClearanceTag, PageTitle, RoleTags } from '../../kit/ui';
import { ChangePasswordForm } from './ChangePasswordForm';
import { TotpEnrolment } from './TotpEnrolment';

export function AccountPage() {
  const { t } = useI18n();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [enrolling, setEnrolling] = useState(false);
  return (
    <>
      <PageTitle title={t('account.title')} />
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('home.profile')}</h2>}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'u', label: t('field.username'), children: me.username },
                { key: 'n', label: t('field.fullName'), children: me.fullName },
                { key: 'unit', label: t('field.unit'), children: me.unitName },
                { key: 'p', label: t('field.position'), children: me.position },
                { key: 'r', label: t('field.roles'), children: <RoleTags roles={me.roles} /> },
                { key: 'c', label: t('field.clearance'), children: <ClearanceTag clearance={me.clearance} /> },
                {
                  key: 't',
                  label: t('account.totp'),
                  children: (
                    <Space size="middle">
                      <span>{me.totpEnabled ? t('account.totpOn') : t('account.totpOff')}</span>
                      {!enrolling ? (
                        <Button size="small" onClick={() => setEnrolling(true)}>
                          {me.totpEnabled ? t('account.reenrol') : t('account.enrol')}
                        </Button>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
          {enrolling ? (
            <Card title={<h2 className="card-h2">{t('enrol.title')}</h2>} className="card-gap">
              <TotpEnrolment
                onDone={(s) => {
                  applySession(qc, s);
                  setEnrolling(false);
                  void message.success(t('enrol.done'));
                }}
              />
            </Card>
          ) : null}
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('changePw.title')}</h2>}>
            <ChangePasswordForm
              onDone={() => {
                void message.success(t('changePw.done'));
                void qc.invalidateQueries({ queryKey: SESSION_KEY });
              }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
