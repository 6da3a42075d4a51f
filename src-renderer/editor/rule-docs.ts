/**
 * The policy rules' pages (docs/rules/<id>.md), shipped with the renderer as assets so a marker's rule id
 * links to a page that exists in both the desktop app and `govc serve`.
 */
import { monaco } from './monaco';

const pages = import.meta.glob<string>('../../docs/rules/*.md', {
  query: '?url&no-inline',
  import: 'default',
  eager: true,
});

const byRule = new Map(
  Object.entries(pages).map(([file, url]) => [file.slice(file.lastIndexOf('/') + 1, -'.md'.length), url]),
);

export function ruleDocLink(rule: string): monaco.Uri | undefined {
  const url = byRule.get(rule);
  return url ? monaco.Uri.parse(new URL(url, window.location.href).href) : undefined;
}
