import { Alert } from 'antd';
import { ApiError } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { ErrorAlert } from '../../kit/ui';

type Issue = { code: string; field?: string };

function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError) || !error.details) return [];
  const raw = error.details.issues;
  if (!Array.isArray(raw)) return [];
  return raw.filter((x): x is Issue => typeof x === 'object' && x !== null && typeof (x as Issue).code === 'string');
}

/**
 * A refused rule (422): the server's Vietnamese message, then every problem it found in the
 * proposal (details.issues), each in words with the part of the form it concerns.
 */
export function RuleErrorAlert({ error }: { error: unknown }) {
  const i = useI18n();
  const issues = issuesOf(error);
  if (!error) return null;
  if (issues.length <= 1) return <ErrorAlert error={error} />;
  return (
    <Alert
      type="error"
      showIcon
      className="form-error"
      title={i.errorText(error)}
      description={
        <>
          <p className="issues-intro">{i.t('rule.issuesIntro')}</p>
          <ul className="issue-list">
            {issues.map((x, n) => (
              <li key={`${x.code}-${n}`}>
                {x.field ? <strong>{i.codeLabel('ruleField', x.field)}: </strong> : null}
                {i.codeLabel('rule', x.code)}
              </li>
            ))}
          </ul>
        </>
      }
    />
  );
}
