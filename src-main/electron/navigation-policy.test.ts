import { describe, expect, it } from 'vitest';
import { externalLinkToOpen, windowTitleFor } from './navigation-policy';

describe('externalLinkToOpen', () => {
  it('lets https links to allow-listed hosts out', () => {
    expect(externalLinkToOpen('https://github.com/govc/studio/issues?q=1')).toBe(
      'https://github.com/govc/studio/issues?q=1',
    );
    expect(externalLinkToOpen('https://docs.docker.com/reference/dockerfile/#from')).toBe(
      'https://docs.docker.com/reference/dockerfile/#from',
    );
  });

  it.each([
    'http://github.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://attacker/share',
    'https://github.com.attacker.example/',
    'https://gist.github.com/',
    'https://github.com@attacker.example/',
    'https://user:pw@github.com/',
    'https://github.com:8443/',
    'app://govc/',
    'not a url',
  ])('keeps %s in', (url) => {
    expect(externalLinkToOpen(url)).toBeUndefined();
  });

  it('takes another allow-list', () => {
    expect(externalLinkToOpen('https://example.org/x', new Set(['example.org']))).toBe('https://example.org/x');
    expect(externalLinkToOpen('https://github.com/', new Set())).toBeUndefined();
  });
});

describe('windowTitleFor', () => {
  it('always shows the product name once', () => {
    expect(windowTitleFor('')).toBe('govc Studio');
    expect(windowTitleFor('govc Studio')).toBe('govc Studio');
    expect(windowTitleFor('demo — govc Studio')).toBe('demo — govc Studio');
    expect(windowTitleFor('demo')).toBe('demo — govc Studio');
  });
});
