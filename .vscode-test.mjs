// For `@vscode/test-cli` users (`npx vscode-test`, not installed here): the same tests, VS Code pinned to our
// engines.vscode floor. Set VSCODE_EXECUTABLE_PATH to use a local build instead of a download.
// The supported runner in this repo is test/electron/run-tests.mjs (see README "Testing in a real VS Code").
export default {
  files: 'out/test/integration/**/*.vscode.test.js',
  version: '1.100.3',
  ...(process.env.VSCODE_EXECUTABLE_PATH ? { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE_PATH } } : {}),
  workspaceFolder: './demo',
  env: { ROLLOUT_LENS_TEST: '1' },
  mocha: { ui: 'tdd', timeout: 30000 },
};
