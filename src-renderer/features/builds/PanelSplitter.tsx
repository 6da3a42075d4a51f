import { useEffect, useRef, useState, type RefObject } from 'react';
import { clampPanel, EDITOR_KEEPS, MIN_PANEL, panelKey, readPanelSize, writePanelSize } from './panel-size';

/** The height of the panel `panel` is the last child of, with its room measured from the parent. */
export function usePanelSize(panel: RefObject<HTMLElement | null>) {
  const [height, setHeight] = useState(() => readPanelSize(window.localStorage));
  const [max, setMax] = useState(Number.POSITIVE_INFINITY);
  useEffect(() => {
    const parent = panel.current?.parentElement;
    if (!parent) return;
    const measure = () => setMax(parent.clientHeight - EDITOR_KEEPS);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(parent);
    return () => observer.disconnect();
  }, [panel]);
  const shown = Number.isFinite(max) ? clampPanel(height, max) : height;
  const resize = (next: number, keep: boolean) => {
    setHeight(next);
    if (keep) writePanelSize(window.localStorage, next);
  };
  return { height: shown, max: Number.isFinite(max) ? Math.max(max, shown) : shown, resize };
}

/**
 * The bar above the bottom panel: drag it, or focus it and use the arrows, Page Up/Down, Home and End. A
 * `separator` with a value, so assistive technology reads the panel's height and can change it.
 */
export function PanelSplitter({
  height,
  max,
  label,
  onResize,
}: {
  height: number;
  max: number;
  label: string;
  onResize(height: number, keep: boolean): void;
}) {
  const drag = useRef<{ y: number; height: number } | null>(null);
  return (
    <div
      className="bd-splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label={label}
      aria-valuemin={MIN_PANEL}
      aria-valuemax={max}
      aria-valuenow={height}
      aria-valuetext={`${height} pixels high`}
      tabIndex={0}
      title="Drag, or focus and use the arrow keys, to resize"
      onKeyDown={(event) => {
        const next = panelKey(event.key, height, max);
        if (next === undefined) return;
        event.preventDefault();
        onResize(next, true);
      }}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { y: event.clientY, height };
      }}
      onPointerMove={(event) => {
        if (!drag.current) return;
        onResize(clampPanel(drag.current.height + drag.current.y - event.clientY, max), false);
      }}
      onPointerUp={(event) => {
        if (!drag.current) return;
        onResize(clampPanel(drag.current.height + drag.current.y - event.clientY, max), true);
        drag.current = null;
      }}
    />
  );
}
