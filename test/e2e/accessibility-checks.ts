/**
 * The checks of the accessibility browser test: axe (WCAG 2.0/2.1 A and AA) on a page with
 * the app's frames, and a keyboard walk through one frame with Tab that records which
 * controls are reached and whether each shows a focus indicator.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Frame, Page } from 'playwright-core';

/** The little of the DOM these checks use (the test project is compiled without the DOM library). */
interface DomNode {
  ownerDocument: { querySelector(selector: string): unknown; createElement(tag: string): DomNode };
  setAttribute(name: string, value: string): void;
  textContent: string | null;
  before(node: DomNode): void;
  focus(): void;
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeReport {
  /** Serious and critical violations, as "rule: element" (frames joined with " >> "). */
  problems: string[];
  /** How many elements inside the frame axe checked for colour contrast (proof it looked there). */
  contrastCheckedInFrame: number;
  /** How many elements inside the frame any rule checked. */
  nodesInFrame: number;
}

/**
 * Runs axe on `scope` of the page (default the surface's frame `frameSelector`; frames inside
 * the scope are checked too). The frame's nodes are counted: axe names a node in a frame by
 * one selector per frame.
 */
export const axeReport = async (
  page: Page,
  frameSelector: string,
  scope: readonly string[] = [frameSelector],
): Promise<AxeReport> => {
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of scope) builder.include(selector);
  const results = await builder.analyze();
  const all = [...results.passes, ...results.violations, ...results.incomplete];
  // axe names a node inside a frame by [selector of the iframe, selector inside it].
  const frameSelectors = [
    ...new Set(all.flatMap((r) => r.nodes.flatMap((n) => (n.target.length > 1 ? [String(n.target[0])] : [])))),
  ];
  const ours = new Set(
    await page
      .locator(frameSelector)
      .first()
      .evaluate(
        (target: DomNode, selectors: string[]) =>
          selectors.filter((s) => target.ownerDocument.querySelector(s) === target),
        frameSelectors,
      ),
  );
  const inFrame = (node: { target: unknown[] }): boolean => node.target.length > 1 && ours.has(String(node.target[0]));
  return {
    problems: results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) =>
        v.nodes.map(
          (n) =>
            `${v.id}: ${n.target.map(String).join(' >> ')} (${[...n.any, ...n.all, ...n.none].map((c) => c.message).join('; ')})`,
        ),
      ),
    contrastCheckedInFrame: [...results.passes, ...results.violations]
      .filter((r) => r.id === 'color-contrast')
      .reduce((n, r) => n + r.nodes.filter(inFrame).length, 0),
    nodesInFrame: all.reduce((n, r) => n + r.nodes.filter(inFrame).length, 0),
  };
};

/** One focusable control of a frame. */
export interface Control {
  id: string;
  /** "tag[type] name", for messages. */
  describe: string;
}

export interface TabWalk {
  /** Every control a keyboard user should reach (visible, enabled, in the tab order; one per radio group). */
  controls: Control[];
  /** The controls focus reached, in order. */
  reached: string[];
  /** Controls that showed no outline, box-shadow or border change when focused. */
  withoutIndicator: string[];
}

/** The content frame of the iframe `selector`. */
export const frameOf = async (page: Page, selector: string): Promise<Frame> => {
  const handle = await page.locator(selector).first().elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error(`no frame ${selector}`);
  return frame;
};

// Runs in the frame: marks every control, keeps its unfocused look, and names it.
const MARK_CONTROLS = String.raw`(() => {
  // Natively focusable elements, and elements whose ARIA role makes them a control (which then need a tabindex).
  const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [role="button"], [role="link"], [role="checkbox"], [role="switch"], [role="tab"], [role="menuitem"]';
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const nameOf = (el) => {
    const labelled = el.getAttribute('aria-labelledby');
    const text = el.getAttribute('aria-label') || (labelled ? labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || el.getAttribute('name') || '';
    return text.replace(/\s+/g, ' ').trim().slice(0, 80);
  };
  const look = (el) => {
    const chain = [];
    for (let node = el, i = 0; node && node !== document.body && i < 4; node = node.parentElement, i++) {
      const s = getComputedStyle(node);
      chain.push({ outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'rgba(0, 0, 0, 0)' ? s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : 'none', boxShadow: s.boxShadow, border: s.borderTopColor + ' ' + s.borderBottomColor + ' ' + s.borderTopWidth });
    }
    return chain;
  };
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const seenGroups = new Set();
  const controls = [];
  let n = 0;
  for (const el of document.querySelectorAll(FOCUSABLE)) {
    if (el.getAttribute('tabindex') === '-1' || (el.tabIndex < 0 && !el.hasAttribute('role')) || el.disabled || el.closest('[aria-hidden="true"], [inert], [hidden]') || (el.tagName === 'INPUT' && el.type === 'hidden') || !visible(el)) continue;
    if (el.tagName === 'SUMMARY' && el.parentElement.tagName !== 'DETAILS') continue;
    let id = 'c' + n++;
    // A radio group is one tab stop (arrow keys move within it).
    if (el.tagName === 'INPUT' && el.type === 'radio' && el.name) {
      id = 'radio:' + el.name;
      if (seenGroups.has(id)) { el.setAttribute('data-kb-id', id); continue; }
      seenGroups.add(id);
    }
    el.setAttribute('data-kb-id', id);
    controls.push({ id, describe: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' "' + nameOf(el) + '"' });
  }
  window.__kbBaseline = {};
  for (const el of document.querySelectorAll('[data-kb-id]')) window.__kbBaseline[el.getAttribute('data-kb-id') + '|' + Array.prototype.indexOf.call(document.querySelectorAll('[data-kb-id]'), el)] = look(el);
  window.__kbLook = look;
  window.__kbName = nameOf;
  return controls;
})()`;

// Runs in the frame after a Tab: which control has focus, and whether it looks focused.
const FOCUSED = String.raw`(() => {
  const el = document.activeElement;
  if (!document.hasFocus() || !el || el === document.body || el === document.documentElement) return null;
  const id = el.getAttribute('data-kb-id');
  const all = Array.prototype.indexOf.call(document.querySelectorAll('[data-kb-id]'), el);
  const before = window.__kbBaseline[id + '|' + all];
  const now = window.__kbLook(el);
  const changed = before ? now.some((look, i) => before[i] && (look.outline !== before[i].outline && look.outline !== 'none' || look.boxShadow !== before[i].boxShadow || look.border !== before[i].border)) : now[0].outline !== 'none';
  return { id: id ?? 'unmarked', describe: el.tagName.toLowerCase() + ' "' + window.__kbName(el) + '"', indicator: changed };
})()`;

/**
 * Puts a focus start just before the frame in the host page, then presses Tab until focus
 * leaves the frame again, recording each control reached inside it.
 */
export const tabThroughFrame = async (page: Page, frameSelector: string, maxTabs = 250): Promise<TabWalk> => {
  const frame = await frameOf(page, frameSelector);
  const controls = (await frame.evaluate(MARK_CONTROLS)) as Control[];
  await startFocusBefore(page, frameSelector);
  const reached: string[] = [];
  const withoutIndicator: string[] = [];
  let entered = false;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const focused = (await frame.evaluate(FOCUSED)) as { id: string; describe: string; indicator: boolean } | null;
    if (focused === null) {
      if (entered) break;
      continue;
    }
    entered = true;
    // A date input takes several Tabs (one per part); focus coming back to an earlier control means it went round.
    if (reached.at(-1) === focused.id) continue;
    if (reached.includes(focused.id)) break;
    reached.push(focused.id);
    if (!focused.indicator) withoutIndicator.push(focused.describe);
  }
  await page.evaluate(REMOVE_START);
  return { controls, reached, withoutIndicator };
};

/** A focusable marker just before the frame, focused: the next Tab enters the frame. */
const startFocusBefore = async (page: Page, frameSelector: string): Promise<void> => {
  await page
    .locator(frameSelector)
    .first()
    .evaluate((frameElement: DomNode) => {
      const start = frameElement.ownerDocument.createElement('button');
      start.setAttribute('type', 'button');
      start.setAttribute('data-kb-start', '');
      start.textContent = 'start';
      frameElement.before(start);
      start.focus();
    });
};

const REMOVE_START = `document.querySelector('[data-kb-start]')?.remove()`;

/** Controls of `walk` that Tab never reached. */
export const unreached = (walk: TabWalk): string[] =>
  walk.controls.filter((c) => !walk.reached.includes(c.id)).map((c) => c.describe);

// Runs in the frame: the focused element's accessible name (approximately), tag and type.
const FOCUSED_NAME = String.raw`(() => {
  const el = document.activeElement;
  if (!document.hasFocus() || !el || el === document.body) return null;
  const labelled = el.getAttribute('aria-labelledby');
  const text = el.getAttribute('aria-label') || (labelled ? labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '';
  return { name: text.replace(/\s+/g, ' ').trim(), tag: el.tagName.toLowerCase(), type: el.getAttribute('type') ?? '' };
})()`;

/** Presses Tab (inside `frame`, or from wherever focus is) until the focused control's name matches; fails after `maxTabs`. */
export const tabTo = async (page: Page, frame: Frame, name: RegExp, maxTabs = 150): Promise<void> => {
  for (let i = 0; i < maxTabs; i++) {
    const focused = (await frame.evaluate(FOCUSED_NAME)) as { name: string } | null;
    if (focused && name.test(focused.name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached a control named ${String(name)}`);
};

/** Focuses the start of the frame's tab order (from just before it in the host page). */
export const enterFrame = async (page: Page, frameSelector: string): Promise<Frame> => {
  const frame = await frameOf(page, frameSelector);
  await startFocusBefore(page, frameSelector);
  await page.keyboard.press('Tab');
  await page.evaluate(REMOVE_START);
  return frame;
};
