/**
 * Accessibility checks on the page as the browser renders it: accessible names from Chromium's own
 * accessibility tree (over CDP), focus indicators and text contrast from computed styles. Each returns the
 * problems found, one readable line each, so a failing test says what and where.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/** The page side (a11y-page.js): browser code, which this Node-typed project cannot type-check as such. */
const PAGE_SCRIPT = readFileSync(new URL('./a11y-page.js', import.meta.url), 'utf8');

interface FocusState {
  label: string;
  ok: boolean;
  moved: boolean;
}

/** Defines the page-side helpers unless this document already has them (a navigation drops them). */
async function install(page: Page): Promise<void> {
  if (!(await page.evaluate('window.__govcA11y !== undefined'))) await page.evaluate(PAGE_SCRIPT);
}

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
  await page.evaluate('document.activeElement?.blur()');
  const problems: string[] = [];
  const seen = new Set<string>();
  let moved = false;
  for (let i = 0; i < stops; i++) {
    if (!moved) await page.keyboard.press('Tab');
    await install(page);
    const found = (await page.evaluate('window.__govcA11y.focusState()')) as FocusState | null;
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
  await install(page);
  return (await page.evaluate('window.__govcA11y.contrast()')) as ContrastProblem[];
}
