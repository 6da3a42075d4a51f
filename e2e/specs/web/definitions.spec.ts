import { expect, test } from '../../fixtures/page-guard';
import { openNewRepo } from '../../fixtures/workspace';
import { DefinitionsPane } from '../../pages/DefinitionsPane';

const DOCKERFILE = ['FROM node:20-alpine AS build', 'RUN echo built', 'FROM node:20-alpine', 'EXPOSE 8080'];
// One line in flow style: the editor indents typed YAML lines by itself, which would nest them wrongly.
const COMPOSE = 'services: {web: {build: {context: app}}}';

test.describe('definitions in the sidebar against govc serve', () => {
  test('lists a Dockerfile and the compose file building it, with summaries and the relation, and opens one', async ({
    page,
    govcServer,
  }, testInfo) => {
    const { ws } = await openNewRepo(page, govcServer, 'defs');
    const defs = new DefinitionsPane(page);
    await expect(defs.region).toContainText('No container definitions yet.');

    await ws.newFile('app/Dockerfile');
    await ws.typeLines(DOCKERFILE);
    await ws.save('app/Dockerfile');
    await expect(defs.kind('dockerfile')).toHaveAccessibleName('dockerfile (1)');
    await expect(defs.definition('app/Dockerfile')).toHaveAccessibleName(/^app\/Dockerfile, 2 stages, :8080/);

    await ws.newFile('compose.yaml');
    await ws.typeLines([COMPOSE]);
    await ws.save('compose.yaml');
    await expect(defs.definition('compose.yaml')).toHaveAccessibleName(/^compose\.yaml, 1 service/);
    await expect(defs.kind('compose')).toBeVisible();
    await expect(defs.relation('compose.yaml web builds app/Dockerfile')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('definitions.png') });

    // Folding a kind hides its rows; unfolding brings them back.
    await defs.kind('compose').click();
    await expect(defs.definition('compose.yaml')).toBeHidden();
    await defs.kind('compose').press('Enter');
    await expect(defs.definition('compose.yaml')).toBeVisible();

    await defs.open('app/Dockerfile');
    await expect(ws.tab('app/Dockerfile')).toHaveAttribute('aria-selected', 'true');
  });
});
