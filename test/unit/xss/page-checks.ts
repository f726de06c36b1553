// What "no script ran and no request left" means on a page that shows the XSS corpus (test/fixtures/xss): shared
// by the report test (headless Chromium on the HTML file) and the viewer e2e (the webview frames in code-server).
import type { Frame, Page, Request } from 'playwright-core';

/** Installed before any page script: records CSP violations, dialogs opened by payloads, and the first title. */
export const INIT_SCRIPT = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
  });
  window.alert = window.confirm = window.prompt = () => { window.__xss = 'dialog'; };
`;

export interface FrameVerdict {
  /** window.__xss as a payload left it (undefined when nothing ran). */
  xss: unknown;
  title: string;
  cspViolations: string[];
  /** Elements a payload would need, if any got into the DOM as markup. */
  liveMarkup: string[];
}

/** Evaluates inside one frame: no payload ran, no live markup from model text. */
export async function inspectFrame(frame: Frame): Promise<FrameVerdict> {
  return frame.evaluate(() => {
    const w = window as unknown as { __xss?: unknown; __cspViolations?: string[] };
    const live: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) live.push(`${el.tagName} ${a.name}`);
        if (/^(href|src|action|formaction|data|srcdoc)$/i.test(a.name) && /^\s*(javascript|data:text\/html)/i.test(a.value)) live.push(`${el.tagName} ${a.name}=${a.value}`);
        // A link is not a request until clicked (and VS Code asks before opening it); anything else that points at
        // a payload host would load by itself.
        if (/^(href|src|data|background|poster)$/i.test(a.name) && el.tagName !== 'A' && /xss\.invalid|127\.0\.0\.1:9/.test(a.value)) live.push(`${el.tagName} ${a.name}=${a.value}`);
      }
      if (/^(IFRAME|OBJECT|EMBED|BASE|FORM|META)$/.test(el.tagName) && el.closest('head') === null) live.push(el.tagName);
      // Model text lands in the body; the webview host's own bootstrap script sits in the head.
      const sc = el as HTMLScriptElement;
      if (el.tagName === 'SCRIPT' && el.closest('body') !== null && !sc.nonce && !sc.src && sc.type !== 'application/json') live.push(`inline SCRIPT without nonce: ${(sc.textContent ?? '').slice(0, 80)}`);
      if (el.tagName === 'STYLE' && el.closest('body') !== null) live.push('STYLE in body');
    }
    return { xss: w.__xss, title: document.title, cspViolations: w.__cspViolations ?? [], liveMarkup: live };
  });
}

/** Records every request the page makes that is not one of its own bundled files. */
export function watchRequests(page: Page, allowed: (url: string) => boolean): string[] {
  const leaked: string[] = [];
  page.on('request', (r: Request) => {
    if (!allowed(r.url())) leaked.push(r.url());
  });
  return leaked;
}

/**
 * Waits until every load-driven payload has had its chance, on events rather than a fixed sleep: the frame's `load`
 * (every onload/onerror of its resources has fired), then two rendering frames (autofocus and the focus events it
 * raises happen at rendering) and a task after them (a zero-delay meta refresh or timer would have started by then).
 * A navigation during the wait destroys the context and throws, which fails the test as it should.
 */
export async function settled(frame: Frame): Promise<void> {
  await frame.waitForLoadState('load');
  await frame.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)))));
}
