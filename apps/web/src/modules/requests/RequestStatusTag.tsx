import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../../kit/i18n';
import type { RequestStatus } from './requests';

const STATUS_CLASS: Record<RequestStatus, string> = {
  draft: 'tag-locked',
  submitted: 'tag-locked',
  approved: 'tag-active',
  refused: 'tag-inactive',
  executed: 'tag-active',
  closed: 'tag-inactive',
  expired: 'tag-inactive',
  cancelled: 'tag-inactive',
};

/** A request's status in words (the same colours as on the request page). */
export function RequestStatusTag({ status }: { status: RequestStatus }) {
  const { t } = useI18n();
  return (
    <Tag className={STATUS_CLASS[status]} data-status={status}>
      {t(`request.status.${status}` as MessageKey)}
    </Tag>
  );
}
