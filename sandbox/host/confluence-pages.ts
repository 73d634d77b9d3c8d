/**
 * The HTML of the sandbox's Confluence page: laid out like a Confluence Cloud page (space
 * sidebar, breadcrumbs, title, body) with each of the app's macros in an `<iframe>` where
 * Confluence renders it. In the editor (`/edit`), each macro has an "Edit macro" button that
 * opens its configuration view in a dialog, as Confluence's macro toolbar does; when that view
 * submits, the dialog closes and the macro is rendered again with the saved configuration.
 */
import type { ConfluencePage } from '../confluence/site';
import { escapeHtml, page } from './pages';
import type { PageInput } from './pages';

export interface MacroFrame {
  localId: string;
  title: string;
  /** The macro as rendered on the page (view, or the editor's preview). */
  src: string;
  /** Its configuration view (the editor only). */
  configSrc?: string;
  moduleKey: string;
}

const STYLE = `
main.page{flex:1;padding:24px 40px;max-width:1400px}
h1.title{font:var(--ds-font-heading-xlarge,normal 653 29px/32px system-ui,sans-serif);margin:8px 0 16px}
.page-actions{display:flex;gap:8px;margin-left:auto}
.page-actions a{display:inline-block;padding:4px 12px;border-radius:3px;text-decoration:none;background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D)}
.page-actions a.primary{background:var(--ds-background-brand-bold,#0C66E4);color:var(--ds-text-inverse,#fff)}
.editing{background:var(--ds-background-information,#E9F2FF);padding:8px 12px;border-radius:3px;margin-bottom:16px}
.macro{border:1px solid var(--ds-border,#091E4224);border-radius:3px;margin:16px 0}
.macro.editing-macro{outline:2px dashed var(--ds-border-brand,#0C66E4)}
.macro iframe{display:block;width:100%;min-height:200px;border:0}
.macro-toolbar{display:flex;gap:8px;padding:4px 8px;border-bottom:1px solid var(--ds-border,#091E4224)}
.macro-toolbar button,dialog button{font:inherit;padding:4px 12px;border-radius:3px;border:1px solid transparent;background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D);cursor:pointer}
dialog{width:min(960px,95vw);border:1px solid var(--ds-border,#091E4224);border-radius:4px;padding:0;background:var(--ds-surface-overlay,#fff);color:var(--ds-text,#172B4D)}
dialog header{display:flex;align-items:center;justify-content:space-between;padding:8px 16px;border-bottom:1px solid var(--ds-border,#091E4224)}
dialog iframe{display:block;width:100%;height:560px;border:0}
`;

const macroHtml = (
  frame: MacroFrame,
  editing: boolean,
): string => `<section class="macro${editing ? ' editing-macro' : ''}" aria-label="${escapeHtml(frame.title)} macro">
${
  editing && frame.configSrc
    ? `<div class="macro-toolbar" role="toolbar" aria-label="${escapeHtml(frame.title)} macro toolbar"><button type="button" data-configure="${escapeHtml(frame.localId)}">Edit macro</button></div>`
    : ''
}
<iframe title="${escapeHtml(frame.title)}" data-module-key="${escapeHtml(frame.moduleKey)}" data-local-id="${escapeHtml(frame.localId)}" src="${escapeHtml(frame.src)}"></iframe>
</section>
${
  editing && frame.configSrc
    ? `<dialog id="config-${escapeHtml(frame.localId)}" aria-labelledby="config-${escapeHtml(frame.localId)}-title" data-config-src="${escapeHtml(frame.configSrc)}">
<header><h2 id="config-${escapeHtml(frame.localId)}-title" style="margin:0;font-size:16px">Configure ${escapeHtml(frame.title)}</h2><button type="button" data-close>Close</button></header>
<iframe title="Configure ${escapeHtml(frame.title)}" data-config-frame="${escapeHtml(frame.localId)}"></iframe>
</dialog>`
    : ''
}`;

// The editor's dialogs: open with the macro's config view, close on its submit and re-render the macro.
const EDITOR_SCRIPT = `<script>
document.querySelectorAll('button[data-configure]').forEach(function (button) {
  button.addEventListener('click', function () {
    var dialog = document.getElementById('config-' + button.getAttribute('data-configure'));
    dialog.querySelector('iframe').src = dialog.getAttribute('data-config-src');
    dialog.showModal();
  });
});
document.querySelectorAll('dialog button[data-close]').forEach(function (button) {
  button.addEventListener('click', function () { button.closest('dialog').close(); });
});
window.addEventListener('message', function (event) {
  if (event.origin !== window.location.origin || !event.data || event.data.source !== 'sandbox-frame' || event.data.type !== 'submit') return;
  document.querySelectorAll('dialog[open]').forEach(function (dialog) { dialog.close(); });
  document.querySelectorAll('.macro iframe').forEach(function (frame) { frame.src = frame.src; });
});
</script>`;

export const confluencePageView = (
  input: PageInput & {
    page: ConfluencePage;
    frames: readonly MacroFrame[];
    editing: boolean;
    viewPath: string;
    editPath: string;
  },
): string => {
  const { page: p, editing } = input;
  return page(
    input,
    `${editing ? 'Editing ' : ''}${p.title}`,
    `<style>${STYLE}</style>
<div class="layout">
<nav class="sidebar" aria-label="Space"><div class="project">${escapeHtml(p.space.name)}</div><div class="note">${escapeHtml(p.space.key)} space</div></nav>
<main class="page">
<div style="display:flex;align-items:center">
<nav aria-label="Breadcrumbs"><ol class="breadcrumbs"><li><a href="/">Spaces</a></li><li>${escapeHtml(p.space.name)}</li><li><a href="${escapeHtml(input.viewPath)}" aria-current="page">${escapeHtml(p.title)}</a></li></ol></nav>
<div class="page-actions">${editing ? `<a class="primary" href="${escapeHtml(input.viewPath)}">Close editor</a>` : `<a href="${escapeHtml(input.editPath)}">Edit</a>`}</div>
</div>
${editing ? '<p class="editing" role="status">Editing: select "Edit macro" on a macro to configure it. The configuration is saved when you save it in the dialog.</p>' : ''}
<h1 class="title">${escapeHtml(p.title)}</h1>
${p.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${input.frames.map((frame) => macroHtml(frame, editing)).join('\n')}
</main>
</div>
${editing ? EDITOR_SCRIPT : ''}`,
    'Confluence',
  );
};

export const confluenceNotFoundPage = (input: PageInput & { pageId: string }): string =>
  page(
    input,
    'Page not found',
    `<main class="issue"><h1 class="summary">Page not found</h1><p>There is no page ${escapeHtml(input.pageId)} in this sandbox. Go back to the <a href="/">start page</a>.</p></main>`,
    'Confluence',
  );
