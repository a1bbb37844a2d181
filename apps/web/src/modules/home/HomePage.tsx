import { Link } from 'react-router-dom';
import { Alert, Card, Col, Descriptions, Row } from 'antd';
import { useCan, useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { useNavItems } from '../../kit/nav';
import { ClearanceTag, PageTitle, RoleTags } from '../../kit/ui';
import { TodoCard } from '../items/TodoCard';

export function HomePage() {
  const { t } = useI18n();
  const me = useMe();
  const can = useCan();
  const shortcuts = useNavItems().filter((i) => i.path !== '/');
  return (
    <>
      <PageTitle title={t('home.welcome', { name: me.fullName })} intro={t('home.intro')} />
      <Row gutter={[24, 24]}>
        {can('custody.mine') || can('item.draft') ? (
          <Col span={24}>
            <TodoCard />
          </Col>
        ) : null}
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('home.profile')}</h2>}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'unit', label: t('field.unit'), children: me.unitName },
                { key: 'pos', label: t('field.position'), children: me.position },
                { key: 'roles', label: t('field.roles'), children: <RoleTags roles={me.roles} /> },
                { key: 'clr', label: t('field.clearance'), children: <ClearanceTag clearance={me.clearance} /> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('home.shortcuts')}</h2>}>
            <ul className="shortcut-list">
              {shortcuts.map((s) => (
                <li key={s.path}>
                  <Link to={s.path} className="shortcut">
                    {s.icon}
                    <span>{t(s.label)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
        </Col>
        <Col span={24}>
          <Alert type="info" showIcon title={t('home.reminder')} />
        </Col>
      </Row>
    </>
  );
}
