import { describe, expect, it } from 'vitest';
import { originOf, senderRejection, type SenderFacts, type SenderPolicy } from './sender-policy';

const policy: SenderPolicy = {
  trustedWebContents: new Set([7]),
  allowedOrigins: ['app://govc', 'http://localhost:5173'],
};
const trusted: SenderFacts = { webContentsId: 7, frameUrl: 'app://govc/index.html', isTopFrame: true };

describe('originOf', () => {
  it('assembles scheme and host, with the port when there is one', () => {
    expect(originOf('app://govc/assets/x.js')).toBe('app://govc');
    expect(originOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(originOf('https://github.com/')).toBe('https://github.com');
  });

  it('has none for opaque or broken URLs', () => {
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('data:text/html,hi')).toBeUndefined();
    expect(originOf('')).toBeUndefined();
  });
});

describe('senderRejection', () => {
  it('trusts the top frame of our window showing our content', () => {
    expect(senderRejection(trusted, policy)).toBeUndefined();
    expect(senderRejection({ ...trusted, frameUrl: 'http://localhost:5173/src/x' }, policy)).toBeUndefined();
  });

  it('refuses windows it did not create', () => {
    expect(senderRejection({ ...trusted, webContentsId: 8 }, policy)).toMatch(/not a window of this app/);
  });

  it('refuses sub-frames and vanished frames', () => {
    expect(senderRejection({ ...trusted, isTopFrame: false }, policy)).toMatch(/sub-frame/);
    expect(senderRejection({ ...trusted, frameUrl: undefined }, policy)).toMatch(/gone/);
  });

  it.each([
    'https://attacker.example/',
    'app://govc.attacker.example/',
    'app://evil/',
    'http://localhost:5174/',
    'file:///work/main/out/renderer/index.html',
    'about:blank',
  ])('refuses a trusted window that shows %s', (frameUrl) => {
    expect(senderRejection({ ...trusted, frameUrl }, policy)).toMatch(/foreign content/);
  });
});
