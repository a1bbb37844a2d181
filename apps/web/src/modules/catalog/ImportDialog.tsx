import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Modal, Radio, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { ErrorAlert, useTableCaption } from '../../kit/ui';
import { FilePicker } from '../../kit/upload';

type Problem = { line: number; column?: string; message: string };
type Format = 'csv' | 'json';

const MAX_BYTES = 5 * 1024 * 1024;

/** The headings the server accepts (catalog.rules HEADER_ALIASES), in the order a clerk types them. */
const TEMPLATE_CSV =
  '\uFEFFSố quyết định,Ngày quyết định,Lĩnh vực,Điều,Khoản,Điểm,Nội dung,Độ mật,Thời hạn bảo vệ (năm)\r\n' +
  '19/QĐ-TTg,06/01/2026,Văn hóa thông tin,1,2,a,"Nội dung bí mật nhà nước (ví dụ, thay bằng nội dung của quyết định)",Tối mật,\r\n';

function problemsOf(error: unknown): { problems: Problem[]; total: number } {
  if (!(error instanceof ApiError) || error.code !== 'catalog.import_invalid' || !error.details) return { problems: [], total: 0 };
  const raw = error.details.problems;
  const problems = Array.isArray(raw)
    ? raw.filter(
        (p): p is Problem => typeof p === 'object' && p !== null && typeof (p as Problem).line === 'number' && typeof (p as Problem).message === 'string',
      )
    : [];
  const total = typeof error.details.totalProblems === 'number' ? error.details.totalProblems : problems.length;
  return { problems, total };
}

function readAsText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsText(file, 'utf-8');
  });
}

export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (count: number) => void }) {
  const i = useI18n();
  const { t } = i;
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('csv');
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const caption = useTableCaption(t('catalog.problemsCaption'));
  const templateHref = useMemo(() => URL.createObjectURL(new Blob([TEMPLATE_CSV], { type: 'text/csv;charset=utf-8' })), []);
  useEffect(() => () => URL.revokeObjectURL(templateHref), [templateHref]);

  useEffect(() => {
    if (open) {
      setFile(null);
      setError(null);
      setLocalError(null);
    }
  }, [open]);

  const { problems, total } = problemsOf(error);

  const submit = async () => {
    setError(null);
    setLocalError(null);
    if (!file) {
      setLocalError(t('catalog.fileRequired'));
      return;
    }
    if (file.size > MAX_BYTES) {
      setLocalError(t('catalog.fileTooLarge'));
      return;
    }
    setBusy(true);
    try {
      const content = await readAsText(file);
      if (!content.trim()) {
        setLocalError(t('catalog.fileEmpty'));
        return;
      }
      const r = await api.post<{ imported: number }>('/catalog/import', { format, content });
      onImported(r.imported);
      onClose();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else setLocalError(t('catalog.fileUnreadable'));
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<Problem> = [
    { title: t('catalog.problemLine'), dataIndex: 'line', key: 'line', width: 80, align: 'right' },
    { title: t('catalog.problemColumn'), key: 'column', width: 170, render: (_v, p) => (p.column ? i.codeLabel('catalogColumn', p.column) : t('common.none')) },
    { title: t('catalog.problemMessage'), dataIndex: 'message', key: 'message' },
  ];

  return (
    <Modal open={open} title={t('catalog.importTitle')} onCancel={onClose} footer={null} destroyOnHidden width={760} maskClosable={false}>
      <Alert
        type="info"
        showIcon
        className="dialog-alert"
        title={t('catalog.importHint')}
        description={
          <>
            <p className="hint-line">{t('catalog.importColumns')}</p>
            <p className="hint-line">{t('catalog.importAllOrNothing')}</p>
            <a href={templateHref} download="danh-muc-bmnn-mau.csv">
              <DownloadOutlined aria-hidden="true" /> {t('catalog.template')}
            </a>
          </>
        }
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FilePicker
          id="catalog-file"
          label={t('catalog.file')}
          accept=".csv,.json,text/csv,application/json"
          file={file}
          onChoose={(f) => {
            setFile(f);
            setError(null);
            setLocalError(null);
            if (f) setFormat(/\.json$/i.test(f.name) ? 'json' : 'csv');
          }}
          help={file ? t('catalog.fileChosen', { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) }) : t('catalog.fileHelp')}
        />
        <div className="file-field">
          <span id="catalog-format-label" className="field-label">
            {t('catalog.format')}
          </span>
          <Radio.Group aria-labelledby="catalog-format-label" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <Radio value="csv">CSV</Radio>
            <Radio value="json">JSON</Radio>
          </Radio.Group>
        </div>
        {localError ? <Alert type="error" showIcon className="form-error" title={localError} role="alert" /> : null}
        {error ? (
          problems.length > 0 ? (
            <div role="alert">
              <Alert
                type="error"
                showIcon
                className="form-error"
                title={i.errorText(error)}
                description={total > problems.length ? t('catalog.problemsMore', { shown: problems.length, total }) : undefined}
              />
              <Table<Problem>
                className="problems-table"
                components={caption}
                rowKey={(p) => `${p.line}-${p.column ?? ''}-${p.message}`}
                columns={columns}
                dataSource={problems}
                size="small"
                bordered
                pagination={problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              />
            </div>
          ) : (
            <ErrorAlert error={error} />
          )
        ) : null}
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={busy} icon={<UploadOutlined aria-hidden="true" />}>
            {t('catalog.importSubmit')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
