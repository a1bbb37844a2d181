import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/**
 * Last line of defence: an unexpected error shows a plain message with a reload button instead of
 * an empty page. Texts are in both languages because the dictionaries may be what failed.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('KhoMật UI error', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="crash">
        <h1>Đã xảy ra lỗi trên giao diện</h1>
        <p>Vui lòng tải lại trang. Nếu lỗi lặp lại, hãy báo quản trị hệ thống.</p>
        <p lang="en">An unexpected error occurred. Please reload the page.</p>
        <button type="button" onClick={() => window.location.assign('/')}>
          Tải lại trang / Reload
        </button>
      </main>
    );
  }
}
