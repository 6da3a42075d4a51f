/* global window, document, getComputedStyle, NodeFilter, Node */
/**
 * The page side of e2e/support/a11y.ts, plain browser JavaScript: the e2e code is type-checked for Node
 * only, without the DOM's types. It is evaluated over CDP (page.evaluate), which the app's CSP allows, and
 * defines `window.__govcA11y`.
 */
window.__govcA11y = {
  /** The focused element: a label for reports, and whether it draws a focus indicator. */
  focusState() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
    const label = `${el.tagName.toLowerCase()} "${name}"`;
    const trap = el.closest('.monaco-editor, .xterm');
    if (trap) {
      // Tab inside an editor or terminal types a tab, so focus would stay there: go on from the next
      // tabbable element after it, as Ctrl+M (Monaco) or a click would let a person do.
      const tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')];
      const next = tabbable.find(
        (t) =>
          t.tabIndex >= 0 &&
          !t.closest('.monaco-editor, .xterm') &&
          trap.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING &&
          t.getClientRects().length > 0 &&
          !t.disabled,
      );
      next?.focus();
      return { label, ok: true, moved: next !== undefined };
    }
    const s = getComputedStyle(el);
    const transparent = (c) => /rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && !transparent(s.outlineColor);
    return { label, ok: outline || s.boxShadow !== 'none', moved: false };
  },

  /** Every visible text node below AA contrast against the background it is drawn on. */
  contrast() {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a] = m[1].split(/[\s,/]+/).map(Number);
      return [r, g, b, a === undefined || Number.isNaN(a) ? 1 : a];
    };
    const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const luminance = ([r, g, b]) => {
      const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      const pageBg = parse(getComputedStyle(document.documentElement).backgroundColor);
      let result = pageBg[3] > 0 ? over(pageBg, [255, 255, 255, 1]) : [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const opacityOf = (el) => {
      let o = 1;
      for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const hex = (c) =>
      '#' +
      c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('');
    const problems = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim();
      const el = node.parentElement;
      if (!text || !el || el.closest('.monaco-editor, .monaco-diff-editor, .xterm, [aria-hidden="true"]')) continue;
      if (el.closest('button:disabled, input:disabled, select:disabled, textarea:disabled, [aria-disabled="true"]')) {
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || s.visibility === 'hidden') continue;
      const bg = backgroundOf(el);
      const color = parse(s.color);
      const fg = over([color[0], color[1], color[2], color[3] * opacityOf(el)], bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(s.fontSize);
      const needed = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700) ? 3 : 4.5;
      const key = `${hex(fg)}/${hex(bg)}/${text.slice(0, 30)}`;
      if (ratio + 1e-6 < needed && !seen.has(key)) {
        seen.add(key);
        const rounded = Math.round(ratio * 100) / 100;
        problems.push({ text: text.slice(0, 50), ratio: rounded, needed, color: hex(fg), background: hex(bg) });
      }
    }
    return problems;
  },
};
