/**
 * Accessibility checks on the page as the browser renders it: accessible names from Chromium's own
 * accessibility tree (over CDP), focus indicators and text contrast from computed styles. Each returns the
 * problems found, one readable line each, so a failing test says what and where.
 */
import type { Page } from '@playwright/test';

/** Roles a person operates; each needs a name a screen reader can say. */
const INTERACTIVE = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'listbox',
  'menuitem',
  'option',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
  'treeitem',
]);

interface AXNode {
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
}

/** Interactive elements whose computed accessible name is empty. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const problems: string[] = [];
    for (const node of nodes) {
      const role = node.role?.value ?? '';
      if (node.ignored || !INTERACTIVE.has(role) || (node.name?.value ?? '').trim() !== '') continue;
      if (node.backendDOMNodeId === undefined) continue;
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId!,
        returnByValue: true,
        functionDeclaration: `function () {
          const r = this.getBoundingClientRect();
          const shown = r.width > 0 && r.height > 0 && getComputedStyle(this).visibility !== 'hidden';
          return { shown, html: this.outerHTML.slice(0, 160) };
        }`,
      });
      const { shown, html } = result.value as { shown: boolean; html: string };
      if (shown) problems.push(`${role} without a name: ${html}`);
    }
    return problems;
  } finally {
    await cdp.detach();
  }
}

/**
 * Tabs through the page (up to `stops` times) and reports every focused element that shows no focus
 * indicator: no outline and no box shadow. Inside Monaco and the terminal the caret is the indicator.
 * `visited` counts the distinct elements reached, so a test can tell that the walk went somewhere.
 */
export async function focusWithoutIndicator(page: Page, stops = 60): Promise<{ problems: string[]; visited: number }> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const problems: string[] = [];
  const seen = new Set<string>();
  let moved = false;
  for (let i = 0; i < stops; i++) {
    if (!moved) await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const label = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      const trap = el.closest('.monaco-editor, .xterm');
      if (trap) {
        // Tab inside an editor or terminal types a tab, so focus would stay there: go on from the next
        // tabbable element after it, as Ctrl+M (Monaco) or a click would let a person do.
        const tabbable = [
          ...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]'),
        ];
        const next = tabbable.find(
          (t) =>
            t.tabIndex >= 0 &&
            !t.closest('.monaco-editor, .xterm') &&
            trap.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING &&
            t.getClientRects().length > 0 &&
            !(t as HTMLButtonElement).disabled,
        );
        next?.focus();
        return { label, ok: true, moved: next !== undefined };
      }
      const s = getComputedStyle(el);
      const transparent = (c: string) => /rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && !transparent(s.outlineColor);
      const shadow = s.boxShadow !== 'none';
      return { label, ok: outline || shadow, moved: false };
    });
    moved = found?.moved ?? false;
    if (!found) continue;
    if (seen.has(found.label)) continue;
    seen.add(found.label);
    if (!found.ok) problems.push(`no visible focus on ${found.label}`);
  }
  return { problems, visited: seen.size };
}

export interface ContrastProblem {
  text: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

/**
 * Every visible text on the page against the background it is drawn on (the nearest opaque ancestor
 * background, semi-transparent ones blended in, opacity applied), per WCAG 2.x: 4.5:1, or 3:1 for large
 * text (24px, or 18.66px bold). Disabled controls are exempt, as WCAG has them; Monaco's and the
 * terminal's text use their own themes and are left to them.
 */
export async function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(() => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a] = m[1]!.split(/[\s,/]+/).map(Number);
      return [r!, g!, b!, a === undefined || Number.isNaN(a) ? 1 : a];
    };
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as RGBA;
    };
    const luminance = ([r, g, b]: RGBA) => {
      const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      const pageBg = parse(getComputedStyle(document.documentElement).backgroundColor);
      let result: RGBA = pageBg[3] > 0 ? over(pageBg, [255, 255, 255, 1]) : [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const opacityOf = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const hex = (c: RGBA) =>
      '#' +
      c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('');
    const problems: { text: string; ratio: number; needed: number; color: string; background: string }[] = [];
    const seen = new Set<string>();
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
      const fg = over([...parse(s.color).slice(0, 3), parse(s.color)[3] * opacityOf(el)] as RGBA, bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1! + 0.05) / (l2! + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      const key = `${hex(fg)}/${hex(bg)}/${text.slice(0, 30)}`;
      if (ratio + 1e-6 < needed && !seen.has(key)) {
        seen.add(key);
        problems.push({
          text: text.slice(0, 50),
          ratio: Math.round(ratio * 100) / 100,
          needed,
          color: hex(fg),
          background: hex(bg),
        });
      }
    }
    return problems;
  });
}
