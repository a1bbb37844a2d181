import type { ThemeConfig } from 'antd';

// Sober official look: default antd theme with a dark blue primary. Text colours are darkened
// where antd's defaults fall under the WCAG 2.1 AA contrast ratio (4.5:1) on white.
export const SYSTEM_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif";

export const HEADER_BG = '#0b2e59';
export const HEADER_ACCENT = '#b71c1c';

export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1d4e89',
    colorLink: '#1d4e89',
    colorInfo: '#1d4e89',
    colorError: '#b3261e',
    colorSuccess: '#2e7d32',
    colorWarning: '#9a6700',
    colorInfoBg: '#eef3fa',
    colorInfoBorder: '#c5d3e8',
    colorSuccessBg: '#f1f8ec',
    colorSuccessBorder: '#b7dfa0',
    colorErrorBg: '#fdf1f0',
    colorErrorBorder: '#efb7b2',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#f3d98b',
    colorTextSecondary: '#3d3d3d',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#6b6b6b',
    borderRadius: 4,
    fontFamily: SYSTEM_FONT,
    fontSize: 14,
  },
  components: {
    Layout: { headerBg: HEADER_BG, siderBg: '#ffffff', bodyBg: '#f0f2f5', headerPadding: '0 24px' },
    Menu: { itemSelectedColor: '#0b2e59', itemSelectedBg: '#e3ebf6' },
    Table: { headerBg: '#eef2f7' },
  },
};
