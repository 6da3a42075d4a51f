import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, stripSecretsFromUrl } from './logging';

describe('logging', () => {
  it('strips tokens from URLs', () => {
    expect(stripSecretsFromUrl('/?token=abc&x=1')).toBe('/?token=[redacted]&x=1');
    expect(stripSecretsFromUrl('/a?x=1&access_token=zz')).toBe('/a?x=1&access_token=[redacted]');
    expect(stripSecretsFromUrl('/plain')).toBe('/plain');
  });

  it('writes the desktop log to a rotating file in the data folder, with secrets redacted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'govc-log-'));
    const logger = createLogger({ destination: 'file', dataDir, level: 'info' });
    logger.info(
      { token: 'govc_secret_value', req: { headers: { authorization: 'Bearer govc_secret_value' } } },
      'hello file',
    );
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const logsDir = join(dataDir, 'logs');
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      if (existsSync(logsDir)) {
        text = readdirSync(logsDir)
          .map((f) => readFileSync(join(logsDir, f), 'utf8'))
          .join('');
        if (text.includes('hello file')) break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readdirSync(logsDir).some((f) => /^govc\.\d+\.log$/.test(f))).toBe(true);
    expect(text).toContain('hello file');
    expect(text).not.toContain('govc_secret_value');
  });
});
