import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { FrameBatcher, stripAnsi, type LogBuffer, type LogLine } from '../../stores/build-logs';
import { usePrefersDark } from '../shell/theme';
import { findAll, type LogMatch } from './log-search';
import { exposeLogTestHook } from './log-test-hook';

const DIM = '\u001b[2m';
const PLAIN = '\u001b[22m';
const toText = (lines: readonly LogLine[], step: string) => {
  let out = '';
  for (const line of lines) if (!step || line.step === step) out += `${DIM}${line.step}${PLAIN} ${line.text}\r\n`;
  return out;
};
const countLines = (text: string) => text.split('\n').length - 1;

const DARK = { background: '#181818', foreground: '#e6e6e6', selectionBackground: '#264f78' };
const LIGHT = { background: '#ffffff', foreground: '#1f2328', selectionBackground: '#add6ff', cursor: '#ffffff' };

/** A build's log in a terminal: ANSI colours, follows the tail unless scrolled up, search, filter by step, copy. */
export function LogView({ logs, steps }: { logs: LogBuffer; steps: readonly string[] }) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const followRef = useRef(true);
  const [follow, setFollow] = useState(true);
  const [step, setStep] = useState('');
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<LogMatch[]>([]);
  const [current, setCurrent] = useState(-1);
  const [searched, setSearched] = useState('');
  const [copied, setCopied] = useState('');
  const dark = usePrefersDark();

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      convertEol: true,
      disableStdin: true,
      scrollback: 100_000,
      fontSize: 12,
      fontFamily: getComputedStyle(element).fontFamily,
      theme: dark ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    termRef.current = term;
    let written = 0;
    const batcher = new FrameBatcher((text) => {
      const lines = countLines(text);
      term.write(text, () => {
        written += lines;
        if (followRef.current) term.scrollToBottom();
      });
    });
    batcher.push(toText(logs.lines, step));
    const stopLogs = logs.subscribe((lines, reset) => {
      if (reset) {
        batcher.clear();
        term.reset();
      }
      batcher.push(toText(lines, step));
    });
    // Scrolled up means "let me read": stop following until back at the bottom.
    const scrolled = term.onScroll(() => {
      const buffer = term.buffer.active;
      const atBottom = buffer.viewportY >= buffer.baseY;
      if (atBottom !== followRef.current) {
        followRef.current = atBottom;
        setFollow(atBottom);
      }
    });
    const resize = new ResizeObserver(() => {
      if (element.offsetParent !== null) fit.fit();
    });
    resize.observe(element);
    const stopHook = exposeLogTestHook({
      feed: (lines) =>
        batcher.push(
          toText(
            lines.map((text) => ({ step: '#0', text })),
            '',
          ),
        ),
      written: () => written,
    });
    return () => {
      stopHook();
      resize.disconnect();
      scrolled.dispose();
      stopLogs();
      batcher.stop();
      term.dispose();
      termRef.current = null;
    };
    // The terminal starts over when the log, the step shown or the theme changes.
  }, [logs, step, dark]);

  const toggleFollow = (on: boolean) => {
    followRef.current = on;
    setFollow(on);
    if (on) termRef.current?.scrollToBottom();
  };

  const goTo = (found: LogMatch[], index: number) => {
    const term = termRef.current;
    const match = found[index];
    setCurrent(match ? index : -1);
    if (!term || !match) return;
    toggleFollow(false);
    term.scrollToLine(Math.max(match.row - Math.floor(term.rows / 2), 0));
    term.select(match.column, match.row, match.length);
  };

  const search = (direction: 1 | -1) => {
    const term = termRef.current;
    if (!term) return;
    const found = findAll(term.buffer.active, query);
    setMatches(found);
    setSearched(query);
    if (found.length === 0) return goTo(found, -1);
    const same = found.length === matches.length && current >= 0;
    goTo(found, same ? (current + direction + found.length) % found.length : direction === 1 ? 0 : found.length - 1);
  };

  const copy = async () => {
    const selection = termRef.current?.getSelection();
    const text = selection || stripAnsi(toText(logs.lines, step).replace(/\r\n/g, '\n'));
    try {
      await navigator.clipboard.writeText(text);
      setCopied(selection ? 'Selection copied' : 'Log copied');
    } catch (err) {
      setCopied(`Not copied: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <div className="lv">
      <div className="lv-bar" role="toolbar" aria-label="Log tools">
        <label>
          Step{' '}
          <select aria-label="Show the log of" value={step} onChange={(e) => setStep(e.target.value)}>
            <option value="">All steps</option>
            {steps.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <form
          className="lv-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            search(1);
          }}
        >
          <input
            type="search"
            aria-label="Search the log"
            placeholder="Search (Enter: next, Shift+Enter: previous)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                search(-1);
              }
            }}
          />
          <span role="status" aria-label="Search result" className="lv-count">
            {searched && (matches.length > 0 ? `${current + 1} of ${matches.length}` : 'No matches')}
          </span>
        </form>
        <label className="lv-follow">
          <input type="checkbox" checked={follow} onChange={(e) => toggleFollow(e.target.checked)} /> Follow
        </label>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <span role="status" className="lv-copied">
          {copied}
        </span>
      </div>
      <div ref={host} className="lv-terminal" aria-label="Build log" role="log" />
    </div>
  );
}
