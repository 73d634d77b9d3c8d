/**
 * The HTML of the host pages: a page laid out like Jira's issue view (top bar, project
 * sidebar, breadcrumbs, summary, description, status and details), with each Custom UI
 * module in an `<iframe>` where Jira puts it, and the user and theme switcher in the top bar.
 */
import { adfToPlainText } from '../jira';
import type { DemoUser } from '../demo/seed';
import type { HostSession } from './session';
import {
  CONTEXT_APPS_SCRIPT,
  CONTEXT_APPS_STYLE,
  fieldDialogsHtml,
  fieldRowsHtml,
  glancesHtml,
} from './issue-context-apps';
import type { FieldView, GlanceView } from './issue-context-apps';
import { DATA_THEME } from './tokens';

export interface IssueView {
  key: string;
  summary: string;
  description: unknown;
  status: string;
  statusCategory: string;
  issueType: string;
  project: { key: string; name: string };
  assignee: string | undefined;
  reporter: string | undefined;
  created: string | undefined;
  updated: string | undefined;
  panels: ReadonlyArray<{ key: string; title: string; src: string; icon: string }>;
  /** The transitions Jira offers the signed-in user, for the workflow bar. */
  transitions?: ReadonlyArray<{ id: string; name: string }>;
  /** Jira's answer to the transition just tried, when it refused it. */
  refusal?: string;
  /** The app's issue glances and custom fields in the right-hand column. */
  glances?: readonly GlanceView[];
  fields?: readonly FieldView[];
}

export interface PageInput {
  session: HostSession;
  users: readonly DemoUser[];
  returnTo: string;
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const descriptionText = (description: unknown): string => {
  if (description === null || description === undefined) return '';
  if (typeof description === 'string') return description;
  try {
    return adfToPlainText(description as Parameters<typeof adfToPlainText>[0]);
  } catch {
    return '';
  }
};

const LOZENGE: Record<string, string> = {
  new: 'background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D)',
  indeterminate: 'background:var(--ds-background-information,#E9F2FF);color:var(--ds-text-information,#0055CC)',
  done: 'background:var(--ds-background-success,#DCFFF1);color:var(--ds-text-success,#216E4E)',
};

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:var(--ds-font-body,normal 400 14px/20px system-ui,sans-serif);background:var(--ds-surface,#fff);color:var(--ds-text,#172B4D)}
a{color:var(--ds-link,#0C66E4)}
.topbar{display:flex;align-items:center;gap:16px;padding:8px 16px;border-bottom:1px solid var(--ds-border,#091E4224);background:var(--ds-surface,#fff)}
.topbar .product{font-weight:700;font-size:16px;text-decoration:none;color:var(--ds-text,#172B4D)}
.topbar form{margin-left:auto;display:flex;align-items:center;gap:8px}
.topbar select,.topbar button{font:inherit;padding:4px 8px;border-radius:3px;border:1px solid var(--ds-border-input,#8590A2);background:var(--ds-background-input,#fff);color:var(--ds-text,#172B4D)}
.topbar button{background:var(--ds-background-brand-bold,#0C66E4);color:var(--ds-text-inverse,#fff);border-color:transparent;cursor:pointer}
.layout{display:flex;min-height:calc(100vh - 49px)}
nav.sidebar{width:220px;padding:16px;border-right:1px solid var(--ds-border,#091E4224);background:var(--ds-surface-sunken,#F7F8F9)}
nav.sidebar .project{font-weight:600}
main.issue{flex:1;padding:16px 24px;max-width:1280px}
ol.breadcrumbs{list-style:none;display:flex;gap:4px;padding:0;margin:0 0 8px;color:var(--ds-text-subtle,#44546F)}
ol.breadcrumbs li+li::before{content:'/';margin-right:4px}
h1.summary{font:var(--ds-font-heading-large,normal 653 24px/28px system-ui,sans-serif);margin:0 0 16px}
.columns{display:grid;grid-template-columns:minmax(0,2fr) minmax(240px,1fr);gap:32px}
h2.section{font:var(--ds-font-heading-small,normal 653 16px/20px system-ui,sans-serif);margin:16px 0 8px}
.description{white-space:pre-wrap}
.lozenge{display:inline-block;border-radius:3px;padding:0 4px;font-size:11px;line-height:16px;font-weight:700;text-transform:uppercase}
.details{border:1px solid var(--ds-border,#091E4224);border-radius:3px;padding:8px 12px}
.details dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 16px;margin:0}
.details dt{color:var(--ds-text-subtle,#44546F)}
.details dd{margin:0}
section.forge-panel{border:1px solid var(--ds-border,#091E4224);border-radius:3px;margin-top:16px}
section.forge-panel>h2{display:flex;align-items:center;gap:8px;margin:0;padding:8px 12px;border-bottom:1px solid var(--ds-border,#091E4224)}
section.forge-panel iframe{display:block;width:100%;min-height:120px;border:0}
.note{color:var(--ds-text-subtle,#44546F)}
form.workflow{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px}
form.workflow button{font:inherit;padding:4px 12px;border-radius:3px;border:1px solid var(--ds-border,#091E4224);background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D);cursor:pointer}
form.workflow button:focus-visible{outline:2px solid var(--ds-border-focused,#388BFF);outline-offset:2px}
.refusal{border-left:4px solid var(--ds-border-danger,#E2483D);background:var(--ds-background-danger,#FFECEB);color:var(--ds-text,#172B4D);padding:8px 12px;margin:0 0 16px;white-space:pre-wrap}
`;

const switcher = ({ session, users, returnTo }: PageInput): string => {
  const options = users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.accountId)}"${u.accountId === session.user.accountId ? ' selected' : ''}>${escapeHtml(u.displayName)} (${escapeHtml(u.role)})</option>`,
    )
    .join('');
  const themes = (['light', 'dark'] as const)
    .map(
      (t) =>
        `<option value="${t}"${t === session.colorMode ? ' selected' : ''}>${t === 'light' ? 'Light' : 'Dark'}</option>`,
    )
    .join('');
  return `<form method="post" action="/host/session" aria-label="Sandbox session">
<label for="sandbox-user">Signed in as</label>
<select id="sandbox-user" name="user">${options}</select>
<label for="sandbox-theme">Theme</label>
<select id="sandbox-theme" name="theme">${themes}</select>
<input type="hidden" name="return" value="${escapeHtml(returnTo)}">
<button type="submit">Switch</button>
</form>`;
};

/** A host page of `product` (the top bar and the title say which) with the user and theme switcher. */
export const page = (
  input: PageInput,
  title: string,
  body: string,
  product: 'Jira' | 'Confluence' = 'Jira',
): string => `<!doctype html>
<html lang="en" data-color-mode="${input.session.colorMode}" data-theme="${DATA_THEME}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${product} (QMS–RIM sandbox)</title>
<link rel="stylesheet" href="/host/tokens.css">
<style>${STYLE}</style>
</head>
<body>
<header class="topbar"><a class="product" href="/">${product} <span class="note">· QMS–RIM sandbox</span></a>${switcher(input)}</header>
${body}
<script>
// Jira sizes each app iframe to its content: the host-side bridge in the frame reports its height.
window.addEventListener('message', function (event) {
  if (event.origin !== window.location.origin || !event.data || event.data.source !== 'sandbox-frame' || event.data.type !== 'resize') return;
  var frame = document.querySelector('iframe[data-module-key="' + String(event.data.moduleKey).replace(/"/g, '') + '"]');
  if (frame) frame.style.height = Math.max(120, Number(event.data.height) || 0) + 'px';
});
</script>
</body></html>
`;

/** The issue's transitions as buttons (Jira's workflow menu), and Jira's refusal of the last one tried. */
const workflowBar = (issue: IssueView): string => {
  const refusal =
    issue.refusal === undefined
      ? ''
      : `<div class="refusal" role="alert" data-testid="transition-refusal"><strong>Jira refused the transition.</strong>\n${escapeHtml(issue.refusal)}</div>`;
  const transitions = issue.transitions ?? [];
  if (transitions.length === 0) return refusal;
  const buttons = transitions
    .map((t) => `<button type="submit" name="transition" value="${escapeHtml(t.id)}">${escapeHtml(t.name)}</button>`)
    .join('');
  return `${refusal}<form class="workflow" method="post" action="/host/transition" aria-label="Workflow"><input type="hidden" name="issueKey" value="${escapeHtml(issue.key)}">${buttons}</form>`;
};

export const issueViewPage = (input: PageInput & { issue: IssueView }): string => {
  const { issue } = input;
  const description = descriptionText(issue.description);
  const panels = issue.panels
    .map(
      (p) => `<section class="forge-panel" aria-labelledby="panel-${escapeHtml(p.key)}-title">
<h2 class="section" id="panel-${escapeHtml(p.key)}-title"><img src="${escapeHtml(p.icon)}" alt="" width="16" height="16">${escapeHtml(p.title)}</h2>
<iframe title="${escapeHtml(p.title)}" data-module-key="${escapeHtml(p.key)}" src="${escapeHtml(p.src)}"></iframe>
</section>`,
    )
    .join('\n');
  const detail = (label: string, value: string | undefined): string =>
    `<dt>${escapeHtml(label)}</dt><dd>${value === undefined ? '<span class="note">None</span>' : escapeHtml(value)}</dd>`;
  return page(
    input,
    `[${issue.key}] ${issue.summary}`,
    `<div class="layout">
<nav class="sidebar" aria-label="Project"><div class="project">${escapeHtml(issue.project.name)}</div><div class="note">${escapeHtml(issue.project.key)} project</div></nav>
<main class="issue">
<nav aria-label="Breadcrumbs"><ol class="breadcrumbs"><li><a href="/">Projects</a></li><li>${escapeHtml(issue.project.name)}</li><li><a href="/jira/browse/${encodeURIComponent(issue.key)}" aria-current="page">${escapeHtml(issue.key)}</a></li></ol></nav>
<h1 class="summary">${escapeHtml(issue.summary)}</h1>
${workflowBar(issue)}
<div class="columns">
<div class="main-column">
<h2 class="section">Description</h2>
<div class="description">${description === '' ? '<span class="note">Add a description…</span>' : escapeHtml(description)}</div>
${panels}
</div>
<aside class="context-column" aria-label="Issue details">
<p><span class="lozenge" data-testid="status-lozenge" style="${LOZENGE[issue.statusCategory] ?? LOZENGE['new']}">${escapeHtml(issue.status)}</span></p>
${glancesHtml(issue.glances ?? [])}
<div class="details"><h2 class="section" style="margin-top:0">Details</h2><dl>
${detail('Issue type', issue.issueType)}
${detail('Assignee', issue.assignee)}
${detail('Reporter', issue.reporter)}
${detail('Created', issue.created)}
${detail('Updated', issue.updated)}
${fieldRowsHtml(issue.fields ?? [])}
</dl></div>
</aside>
</div>
</main>
</div>
<style>${CONTEXT_APPS_STYLE}</style>
${fieldDialogsHtml(issue.fields ?? [])}
${CONTEXT_APPS_SCRIPT}`,
  );
};

export const notFoundPage = (input: PageInput & { issueKey: string }): string =>
  page(
    input,
    'Issue not found',
    `<main class="issue"><h1 class="summary">This issue can't be viewed</h1>
<p>${escapeHtml(input.issueKey)} does not exist, or ${escapeHtml(input.session.user.displayName)} does not have permission to see it. Switch the user above, or go back to the <a href="/">start page</a>.</p></main>`,
  );

/** A page of Jira's settings (admin pages, the workflow editor): sidebar, breadcrumbs, and `main` as given. */
export const sitePage = (input: PageInput, title: string, breadcrumbs: readonly string[], main: string): string =>
  page(
    input,
    title,
    `<div class="layout">
<nav class="sidebar" aria-label="Jira settings"><div class="project">Jira settings</div><div class="note"><a href="/jira/admin">Apps</a></div><div class="note"><a href="/jira/admin/workflows">Workflows</a></div></nav>
<main class="issue">
<nav aria-label="Breadcrumbs"><ol class="breadcrumbs">${breadcrumbs.map((b, i) => (i === 0 ? `<li><a href="/">${escapeHtml(b)}</a></li>` : `<li>${escapeHtml(b)}</li>`)).join('')}</ol></nav>
${main}
</main>
</div>`,
  );

/** The Jira admin page of the app (`jira:adminPage`): its bundle in an iframe, or why it is not shown. */
export const adminPage = (
  input: PageInput & { module: { key: string; title: string; src: string } | undefined },
): string =>
  sitePage(
    input,
    input.module ? `${input.module.title} - Apps - Jira admin` : 'Apps - Jira admin',
    ['Jira', 'Settings', 'Apps'],
    input.module
      ? `<h1 class="summary">${escapeHtml(input.module.title)}</h1>
<iframe title="${escapeHtml(input.module.title)}" data-module-key="${escapeHtml(input.module.key)}" src="${escapeHtml(input.module.src)}" style="display:block;width:100%;min-height:480px;border:0"></iframe>`
      : `<h1 class="summary">You don't have access to this page</h1>
<p>${escapeHtml(input.session.user.displayName)} is not a Jira admin; Jira shows an app's admin page to Jira admins only. Switch the user above, or go back to the <a href="/">start page</a>.</p>`,
  );
