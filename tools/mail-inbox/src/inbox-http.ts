import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import { renderInboxPage } from './inbox-page.js';
import type { MailStore } from './mail-store.js';

/**
 * The inbox over HTTP, plain node:http so the tool stays two dependencies small:
 *   GET /                    the page
 *   GET /api/messages        all mails in arrival order; ?to=addr keeps mails sent to addr
 *   GET /api/messages/:id    one mail
 *   DELETE /api/messages     forget every mail
 *   GET /health              200 once listening
 */
export function inboxRequestHandler(store: MailStore): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://inbox.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    route(store, req, res, path, url.searchParams);
  };
}

function route(
  store: MailStore,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): void {
  const method = req.method ?? 'GET';
  if (path === '/health') {
    return method === 'GET' ? sendJson(res, 200, { status: 'ok' }) : methodNotAllowed(res, 'GET');
  }
  if (path === '/') {
    return method === 'GET'
      ? send(res, 200, 'text/html; charset=utf-8', renderInboxPage(store.list()))
      : methodNotAllowed(res, 'GET');
  }
  if (path === '/api/messages') {
    if (method === 'GET') return sendJson(res, 200, filterByRecipient(store, query.get('to')));
    if (method === 'DELETE') {
      store.clear();
      res.writeHead(204).end();
      return;
    }
    return methodNotAllowed(res, 'GET, DELETE');
  }
  const one = /^\/api\/messages\/(\d+)$/.exec(path);
  if (one?.[1]) {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    const mail = store.get(Number(one[1]));
    return mail ? sendJson(res, 200, mail) : sendJson(res, 404, { error: `no mail #${one[1]}` });
  }
  sendJson(res, 404, { error: `not found: ${path}` });
}

/** Addresses are compared case-insensitively, as mail servers treat them in practice. */
function filterByRecipient(store: MailStore, to: string | null) {
  const mails = store.list();
  if (!to) return mails;
  const wanted = to.trim().toLowerCase();
  return mails.filter((mail) => mail.to.some((address) => address.toLowerCase() === wanted));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, { error: 'method not allowed' });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}
