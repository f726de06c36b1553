// HTML escaping for text and attribute values we write into HTML (webview shells, the CLI report). Model output
// is untrusted: every one of & < > " ' is escaped, so the same function is safe in text and in quoted attributes.
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
