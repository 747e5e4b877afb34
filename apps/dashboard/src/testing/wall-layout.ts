import type { Page } from 'playwright-core';

export interface LaidOutBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
  text: string;
}

/** What the browser laid out, for the wall-display checks of the dashboard's browser test. */
export interface WallLayout {
  /** The map panel's width inside its padding (px). */
  panelContentWidth: number;
  /** The map element, and the frame it draws the fleet in (px). */
  mapWidth: number;
  frameWidth: number;
  gridLines: LaidOutBox[];
  gridLabels: LaidOutBox[];
  /** The throughput chart's time-axis labels, left to right. */
  timeTicks: LaidOutBox[];
  /** Every piece of text on the page, one per text node or attribute: the title, body text, SVG text and tooltips, labels. */
  texts: string[];
}

/**
 * Waits (bounded) until the map and the throughput chart are drawn for the current viewport (each
 * SVG's viewBox is its laid-out size: they redraw on resize) and the time axis has ticks, then reads
 * the layout.
 */
export async function readWallLayout(page: Page, timeout = 60_000): Promise<WallLayout> {
  await page.waitForFunction(
    () => ['map', 'rates'].every((id) => {
      const svg = document.getElementById(id) as unknown as SVGSVGElement | null;
      return svg !== null && svg.viewBox.baseVal.width === Math.max(Math.round(svg.getBoundingClientRect().width), 200);
    }) && document.querySelectorAll('[data-testid="rates-time-tick"]').length >= 2 && document.querySelector('[data-testid="map-frame"]') !== null,
    undefined,
    { timeout, polling: 200 },
  );
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent ?? '' };
    };
    const all = (selector: string) => [...document.querySelectorAll(selector)].map(box);
    const panel = document.querySelector('[data-testid="map-panel"]') as HTMLElement;
    const style = getComputedStyle(panel);
    const texts: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent?.trim()) texts.push(node.textContent.trim());
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
      for (const name of ['title', 'aria-label', 'placeholder']) {
        const value = el.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return {
      panelContentWidth: panel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      mapWidth: document.querySelector('[data-testid="map"]')!.getBoundingClientRect().width,
      frameWidth: document.querySelector('[data-testid="map-frame"]')!.getBoundingClientRect().width,
      gridLines: all('[data-testid="map"] .graticule line'),
      gridLabels: all('[data-testid="map"] .graticule-labels text'),
      timeTicks: all('[data-testid="rates-time-tick"]').sort((a, b) => a.left - b.left),
      texts,
    };
  });
}
