import { type Page, expect, test } from '@playwright/test';
import { storageState } from './fixtures';

// Every customer page on a phone (390×844) and a laptop (1280×800): the document never scrolls sideways.
// Only a code block may scroll inside itself. Measured on the document, not eyeballed: its scroll width,
// and every element whose right edge passes the viewport, outside a code block.

test.use({ storageState: storageState('alice') });

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

async function customerPages(page: Page): Promise<string[]> {
  const response = await page.request.get('/api/v1/vms');
  const { vms } = (await response.json()) as { vms: Array<{ id: number }> };
  return ['/', '/alerts', '/alerts/log', '/alerts/contacts', '/mail', '/releases', ...vms.flatMap((v) => [`/vms/${v.id}`, `/vms/${v.id}/packages`, `/vms/${v.id}/firewall`, `/vms/${v.id}/plan`, `/vms/${v.id}/rebuild`])];
}

/** What sticks out past the right edge, as "tag.class: right edge", leaving out code blocks' insides. */
async function overflow(page: Page): Promise<{ scrollWidth: number; width: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const insideCode = (el: Element) => el.closest('pre, code, .code-block, [data-scroll-x]') !== null;
    // Clipped away for screen readers (a stacked table's header row): never seen, never scrolled to.
    const hidden = (el: Element) => el.closest('.visually-hidden, table.stack thead') !== null;
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (insideCode(el) || hidden(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 1) {
        // Report the outermost offender only.
        const parent = el.parentElement;
        if (parent && parent.getBoundingClientRect().right > width + 1 && !insideCode(parent)) continue;
        offenders.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}: ${Math.round(box.right)}px "${(el.textContent ?? '').trim().slice(0, 40)}"`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, offenders: offenders.slice(0, 8) };
  });
}

for (const viewport of VIEWPORTS) {
  test(`no customer page scrolls sideways on a ${viewport.name} (${viewport.width} px)`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const problems: string[] = [];
    for (const url of await customerPages(page)) {
      await page.goto(url);
      const o = await overflow(page);
      if (o.scrollWidth > o.width + 1 || o.offenders.length > 0) problems.push(`${url}: document ${o.scrollWidth}px wide for ${o.width}px; ${o.offenders.join('; ')}`);
    }
    expect(problems).toEqual([]);
  });
}
