import type { ServerResponse } from 'node:http';

/**
 * The page's policy: scripts, styles, images and connections from this origin only, no inline script, no
 * plugin, no framing, no `<base>` rewriting, forms post only here. uPlot and Preact set styles through the
 * CSSOM (`el.style.x = …`), which `style-src 'self'` allows, so no `'unsafe-inline'` is needed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Headers every answer of the TCP listener carries, API answers included: a JSON answer opened as a page
 * gets the same policy as the page itself.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}
