// The viewer's HTML shell: strict CSP with a fresh nonce per render, the bundled script and stylesheet from
// dist/webview through asWebviewUri, and explicit webview options (docs/platform.md §1.6, §1.7).
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ViewerMode } from '../../protocol/viewer-protocol';
import { escapeHtml } from '../../core/text/escape-html';

/** Roots the webview may load from: the bundle folder and media, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; font-src ${cspSource}; script-src 'nonce-${nonce}';`;
}

export function viewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: ViewerMode, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  // The comparison panel is its own bundle (webview/viewer/compare-main.ts); run and sample share viewer.js.
  const bundle = mode === 'compare' ? 'compare' : 'viewer';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(asset(`${bundle}.css`))}">
<title>${escapeHtml(title)}</title>
</head>
<body data-mode="${mode}">
<div id="app" data-testid="viewer-root"></div>
<script nonce="${nonce}" src="${escapeHtml(asset(`${bundle}.js`))}"></script>
</body>
</html>`;
}
