import { useCallback, useState, type ReactNode, type Ref } from 'react';
import { Progress } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import { ApiError, uploadFile } from './api';
import { fileSizeText } from './format';
import { useI18n } from './i18n';

// Sending one chosen file to the server with progress (attachments, receipt scans), and the file
// field that chooses it: a keyboard-reachable "Chọn tệp…" button, the chosen name, help or error.

/** The file chosen, the upload's progress (null when idle) and its errors, with a `send` that checks and posts the file. */
export function useFileUpload(badTypeText: string) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const choose = useCallback((f: File | null) => {
    setFile(f);
    setError(null);
    setLocalError(null);
  }, []);

  const reset = useCallback(() => {
    choose(null);
    setProgress(null);
  }, [choose]);

  /**
   * Posts the chosen file to `path`; `then` runs while the progress still shows. A refusal the
   * person can act on (too large, wrong type, no network) becomes `localError`, the rest `error`.
   */
  const send = async <T,>(path: string, then: (saved: T, sent: File) => Promise<void> | void) => {
    setError(null);
    setLocalError(null);
    if (!file) {
      setLocalError(t('attach.fileRequired'));
      return;
    }
    if (file.size === 0) {
      setLocalError(t('attach.fileEmpty'));
      return;
    }
    setProgress(0);
    try {
      const saved = await uploadFile<T>(path, file, { query: { name: file.name, type: file.type || undefined }, onProgress: setProgress });
      await then(saved, file);
    } catch (e) {
      if (e instanceof ApiError && e.status === 413) setLocalError(e.fromServer ? e.message : t('attach.tooLarge'));
      else if (e instanceof ApiError && (e.status === 422 || e.status === 415) && !e.fromServer) setLocalError(badTypeText);
      else if (e instanceof ApiError && e.status === 0 && e.code === 'client.network') setLocalError(t('attach.network'));
      else setError(e);
    } finally {
      setProgress(null);
    }
  };

  /** What a FilePicker takes from this upload: the file, its choice, the size beside the name, the refusal. */
  const picker = { file, onChoose: choose, error: localError, withSize: true };
  return { choose, reset, progress, busy: progress !== null, error, setError, send, picker };
}

export interface FilePickerProps {
  /** The input's id; the label, button and help take it as their prefix. */
  id: string;
  label: string;
  accept: string;
  file: File | null;
  onChoose: (file: File | null) => void;
  /** Shown under the picker, unless `error` is. */
  help: ReactNode;
  error?: string | null;
  /** Shows the chosen file's size beside its name. */
  withSize?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** Placed at the end of the picker row (a submit button). */
  children?: ReactNode;
}

/** A file field: the native input kept for screen readers, a visible button, the chosen name, help or error. */
export function FilePicker({ id, label, accept, file, onChoose, help, error, withSize, inputRef, children }: FilePickerProps) {
  const { t, lang } = useI18n();
  return (
    <div className="file-field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <div className="file-picker">
        <input
          ref={inputRef}
          id={id}
          type="file"
          accept={accept}
          className="sr-only"
          aria-labelledby={`${id}-label ${id}-button`}
          aria-describedby={`${id}-help`}
          onChange={(e) => onChoose(e.target.files?.[0] ?? null)}
        />
        <label htmlFor={id} className="file-button" id={`${id}-button`}>
          <FolderOpenOutlined aria-hidden="true" /> {t('catalog.chooseFile')}
        </label>
        <span className="file-name">{file ? (withSize ? `${file.name} (${fileSizeText(file.size, lang)})` : file.name) : t('catalog.noFile')}</span>
        {children}
      </div>
      <div id={`${id}-help`} className={error ? 'field-error' : 'field-help'} role={error ? 'alert' : undefined}>
        {error ?? help}
      </div>
    </div>
  );
}

/** The progress of an upload under way, announced in words and drawn as a bar. */
export function UploadProgress({ progress }: { progress: number | null }) {
  const { t } = useI18n();
  if (progress === null) return null;
  const percent = Math.round(progress * 100);
  return (
    <div className="upload-progress" role="status">
      <span className="sr-only">{t('attach.uploading', { percent })}</span>
      <Progress percent={percent} size="small" aria-hidden="true" />
    </div>
  );
}
