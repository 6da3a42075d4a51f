import { describe, expect, it } from 'vitest';
import { FrameBatcher, LogBuffer, stripAnsi } from './build-logs';

function manualFrames() {
  const frames: (() => void)[] = [];
  return {
    schedule: (callback: () => void) => void frames.push(callback),
    runFrame: () => frames.splice(0).forEach((callback) => callback()),
    pending: () => frames.length,
  };
}

describe('FrameBatcher', () => {
  it('writes everything pushed within a frame in one flush', () => {
    const frames = manualFrames();
    const writes: string[] = [];
    const batcher = new FrameBatcher((text) => writes.push(text), frames.schedule);
    for (let i = 0; i < 10_000; i++) batcher.push(`line ${i}\r\n`);
    expect(frames.pending()).toBe(1);
    expect(writes).toEqual([]);
    frames.runFrame();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split('\r\n')).toHaveLength(10_001);
    batcher.push('next\r\n');
    frames.runFrame();
    expect(writes).toEqual([expect.any(String), 'next\r\n']);
  });

  it('drops what waits when cleared or stopped', () => {
    const frames = manualFrames();
    const writes: string[] = [];
    const batcher = new FrameBatcher((text) => writes.push(text), frames.schedule);
    batcher.push('old');
    batcher.clear();
    batcher.push('new');
    frames.runFrame();
    batcher.stop();
    batcher.push('late');
    frames.runFrame();
    expect(writes).toEqual(['new']);
  });
});

describe('LogBuffer', () => {
  it('keeps at most its limit, newest last, and tells listeners what was appended', () => {
    const buffer = new LogBuffer(3);
    const seen: string[][] = [];
    buffer.subscribe((lines, reset) => seen.push([reset ? 'reset' : 'add', ...lines.map((l) => l.text)]));
    buffer.append([1, 2, 3, 4].map((n) => ({ step: '#1', text: String(n) })));
    expect(buffer.lines.map((l) => l.text)).toEqual(['2', '3', '4']);
    buffer.replace([{ step: '#2', text: 'x' }]);
    expect(seen).toEqual([
      ['add', '1', '2', '3', '4'],
      ['reset', 'x'],
    ]);
  });
});

describe('stripAnsi', () => {
  it('leaves the plain text of coloured output', () => {
    expect(stripAnsi('\u001b[31merror\u001b[0m: \u001b[1mboom\u001b[22m')).toBe('error: boom');
  });
});
