import type { ReceivedMail } from './received-mail.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value on the page comes from a mail, i.e. from whoever sent it: escape all of it. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const STYLE = `
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #222; }
  h1 { font-size: 1.4rem; }
  article { border-top: 1px solid #ddd; padding: .75rem 0; }
  .meta { color: #555; font-size: .85rem; }
  .subject { font-weight: 600; margin: .25rem 0; }
  pre { white-space: pre-wrap; background: #f6f6f6; padding: .75rem; }
`;

/** The whole inbox, newest first. No script: reload to see new mail. */
export function renderInboxPage(mails: readonly ReceivedMail[]): string {
  const newestFirst = [...mails].reverse();
  const body = newestFirst.length
    ? newestFirst.map(renderMail).join('\n')
    : '<p>No mail yet.</p>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shanhai mail inbox</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Shanhai mail inbox</h1>
<p class="meta">${mails.length} mail(s), newest first. Reload to see new mail. JSON: <a href="/api/messages">/api/messages</a></p>
${body}
</body>
</html>
`;
}

function renderMail(mail: ReceivedMail): string {
  return `<article id="mail-${mail.id}">
<div class="meta"><time datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt)}</time>
 · from ${escapeHtml(mail.from)} · to ${escapeHtml(mail.to.join(', '))}
 · <a href="/api/messages/${mail.id}">#${mail.id}</a></div>
<div class="subject">${escapeHtml(mail.subject || '(no subject)')}</div>
<details><summary>Text</summary><pre>${escapeHtml(mail.text)}</pre></details>
</article>`;
}
