import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Files matching `files` may not import the sibling folders named in `rooms` ('modules|shell'),
 * reached with '../': neither `import … from` nor a lazy `import()`.
 */
function forbidImports(files, rooms, message, ignores = []) {
  return {
    files: [files],
    ignores,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^(\\.\\./)+(${rooms})(/|$)`, message }] }],
      'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(${rooms})(\\/|$)/]`, message }],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'keys/**', 'test-results/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['apps/web/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['apps/cli/**', 'bench/**', 'scripts/**', 'e2e/**', '**/*.test.ts'], rules: { 'no-console': 'off' } },
  // One direction between the rooms (docs/architecture.md). Web: the kit stands under the screens
  // (modules), the shell above them; a screen never imports the shell. Server: modules stand on the
  // kernel and the platform, never on app/ (the composition root); the kernel on neither.
  forbidImports('apps/web/src/kit/**', 'modules|shell', 'The web kit stands under the screens: it imports neither modules/ nor shell/.'),
  forbidImports('apps/web/src/modules/**', 'shell', 'Screens do not import the shell (router, layout, menu): what they share belongs in kit/.'),
  forbidImports('apps/server/src/modules/**', 'app', 'Server modules import the kernel and the platform, never app/.'),
  forbidImports('apps/server/src/kernel/**', 'app|modules', 'The server kernel imports neither app/ nor modules/.'),
  // The platform's own tests may reach up (a key provider tested through the runtime that opens it,
  // a migration checked against the index code that writes new rows); its code may not.
  forbidImports('apps/server/src/platform/**', 'app|modules', 'The server platform imports neither app/ nor modules/.', ['**/*.test.ts']),
);
