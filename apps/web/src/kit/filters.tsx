import type { ReactNode } from 'react';
import { Col, DatePicker, Form, type ColProps } from 'antd';
import { useI18n } from './i18n';
import { notBeforeRule } from './validation';

// The filter areas above the lists: a labelled panel holding a filter form, a single labelled
// control in a filter bar, and the "Từ ngày / Đến ngày" pair of a filter form.

/** A filter form's panel, named by its heading for screen readers. */
export function FilterPanel({ headingId, title, children }: { headingId: string; title: string; children: ReactNode }) {
  return (
    <section className="filter-panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-h2">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** One control of a filter bar with its visible label above it. */
export function FilterField({ htmlFor, label, className, children }: { htmlFor: string; label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `filter-field ${className}` : 'filter-field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
    </div>
  );
}

/** The `from` and `to` date fields of a filter form; the end may not fall before the start. */
export function DateRangeFields({ col }: { col: ColProps }) {
  const { t } = useI18n();
  return (
    <>
      <Col {...col}>
        <Form.Item name="from" label={t('audit.from')}>
          <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name="to" label={t('audit.to')} dependencies={['from']} rules={[notBeforeRule('from', t('audit.dateOrder'))]}>
          <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} />
        </Form.Item>
      </Col>
    </>
  );
}
