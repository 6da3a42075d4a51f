import { expect, test } from '../../fixtures/page-guard';
import { openNewRepo } from '../../fixtures/workspace';
import { EditorAssist } from '../../pages/EditorAssist';

const TYPING_DELAY_MS = 40;

test.describe('editor help against govc serve', () => {
  test('compose keys come from the engine’s compose-spec schema: completion with descriptions, and hover', async ({
    page,
    govcServer,
  }, testInfo) => {
    const { ws } = await openNewRepo(page, govcServer, 'compose');
    const assist = new EditorAssist(page);
    await ws.newFile('compose.yaml');

    // Top level: `services` among the keys; accepting it opens the map on an indented line.
    await ws.type('serv');
    await assist.suggest();
    await expect(assist.suggestion('services')).toBeVisible();
    await page.keyboard.press('Enter');
    // At a person's pace: a `:` and Enter in the same frame can reach Monaco as one input, which then skips
    // YAML's indent-after-colon rule (seen in 2 of 10 runs at Playwright's zero delay, none at 40 ms).
    await page.keyboard.type('web:', { delay: TYPING_DELAY_MS });
    await page.keyboard.press('Enter');

    // In a service: its keys, each with the schema's description.
    await assist.suggest();
    await expect(assist.suggestion('annotations')).toBeVisible();
    await expect(assist.suggestion('build')).toBeVisible();
    await page.keyboard.type('ima');
    await expect(assist.suggestion('image')).toBeVisible();
    await assist.showDetails();
    await expect(assist.details).toContainText('Specify the image to start the container from');
    await page.keyboard.press('Enter');
    await page.keyboard.type('nginx:1.27');
    await page.keyboard.press('Escape');
    await expect.poll(() => ws.editorText()).toMatch(/services:\s*\n\s+web:\s*\n\s+image: nginx:1\.27/);

    // After `key: ` the space offers the values the key allows.
    await page.keyboard.press('Enter');
    await page.keyboard.type('read_only: ', { delay: TYPING_DELAY_MS });
    await expect(assist.suggestion('true')).toBeVisible();
    await expect(assist.suggestion('false')).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => ws.editorText()).toMatch(/\n\s+read_only: true/);
    await page.screenshot({ path: testInfo.outputPath('compose-completion.png') });

    // Hover on a key: its description and where it sits in the spec.
    await assist.hoverOn('image');
    await expect(assist.hover).toContainText('Specify the image to start the container from');
    await expect(assist.hover).toContainText('services.web.image');
    await assist.hoverOn('services');
    await expect(assist.hover).toContainText('The services that will be used by your application');
  });

  test('Dockerfile hover (instructions, variables, flags, stage names after --from) and stage completion', async ({
    page,
    govcServer,
  }) => {
    const { ws } = await openNewRepo(page, govcServer, 'hover');
    const assist = new EditorAssist(page);
    await ws.newFile('Dockerfile');
    await ws.typeLines([
      'FROM alpine AS builder',
      'ARG APP_DIR=/srv/app',
      'RUN --mount=type=cache,target=/var/cache mkdir $APP_DIR',
      'FROM scratch',
      'COPY --from=builder /srv/app /app',
    ]);
    // A last, empty line: the stage completion at the end is typed there.
    await page.keyboard.press('Enter');

    await assist.hoverOn('ARG');
    await expect(assist.hover).toContainText('Define a variable');
    await assist.hoverOn('APP_DIR', 1);
    await expect(assist.hover).toContainText('/srv/app');
    await assist.hoverOn('mount');
    await expect(assist.hover).toContainText('Mounts something for this RUN only');
    await assist.hoverOn('builder', 1);
    await expect(assist.hover).toContainText('Stage builder');
    await expect(assist.hover).toContainText('Built FROM alpine, line 1');

    // Completion of a stage name after --from= (`=` asks for suggestions by itself).
    await page.mouse.move(0, 0);
    await ws.type('COPY --from=');
    await expect(assist.suggestion('builder')).toBeVisible();
  });
});
