import { expect, test } from '../../fixtures/page-guard';
import { openNewRepo } from '../../fixtures/workspace';
import { ProblemsPane } from '../../pages/ProblemsPane';

/** The latest tag (a policy warning), an unknown instruction (a syntax error), ADD for COPY (a fixable finding). */
const PROBLEMS = ['FROM node:latest', 'FOO bar', 'ADD app.js /app/'];

test.describe('engine diagnostics in the editor against govc serve', () => {
  test('squiggles and lists problems, fixes them by quick fix and by typing, and completes instructions', async ({
    page,
    govcServer,
  }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 820 });
    const { ws } = await openNewRepo(page, govcServer, 'lint');
    const problems = new ProblemsPane(page);
    await ws.newFile('Dockerfile');
    await ws.typeLines(PROBLEMS);
    await ws.save('Dockerfile');

    await expect(problems.item('GV1001')).toContainText('Dockerfile:1');
    await expect(problems.item('dockerfile/unknown-instruction')).toContainText('Dockerfile:2');
    await expect(problems.item('GV1020')).toContainText('Dockerfile:3');
    await expect(problems.errorSquiggles.first()).toBeVisible();
    await expect(problems.warningSquiggles.first()).toBeVisible();
    await expect(problems.item('GV1001').getByRole('link', { name: 'GV1001' })).toHaveAttribute(
      'href',
      /GV1001.*\.md$/,
    );
    await expect(ws.tab('Dockerfile')).toContainText(/Dockerfile\s*\d+/);
    await page.screenshot({ path: testInfo.outputPath('diagnostics.png') });

    // The quick fix from the policy finding: ADD becomes COPY.
    await problems.jumpTo('GV1020');
    await problems.applyQuickFix(/Replace ADD with COPY/);
    await expect.poll(() => ws.editorText()).toContain('COPY app.js /app/');

    // The syntax error by typing: the unknown instruction becomes a real one.
    await problems.jumpTo('dockerfile/unknown-instruction');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('WORKDIR /app');
    await page.keyboard.press('Escape');
    await ws.save('Dockerfile');

    await expect(problems.item('GV1020')).toHaveCount(0);
    await expect(problems.item('dockerfile/unknown-instruction')).toHaveCount(0);
    await expect(problems.item('GV1001')).toHaveCount(1);
    await expect(problems.errorSquiggles).toHaveCount(0);
  });

  test('completes WORKDIR after WOR in a Dockerfile', async ({ page, govcServer }) => {
    const { ws } = await openNewRepo(page, govcServer, 'complete');
    const problems = new ProblemsPane(page);
    await ws.newFile('Dockerfile');
    await ws.type('FROM scratch\nWOR');
    await problems.suggest();
    await expect(problems.suggestion('WORKDIR').first()).toBeVisible();
  });
});
