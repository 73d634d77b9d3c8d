/**
 * The app's issue glances and custom field in the issue view's right-hand column, as Jira
 * shows them: each `jira:issueGlance` as a row with its `label` that opens the glance panel
 * (its `title` and its Custom UI in an `<iframe>`, loaded when opened, as Jira loads a
 * glance); each `jira:customField` in the details with its formatter's text and, for people
 * who may edit the issue, an Edit button that opens the field's `edit` resource in a dialog.
 *
 *   POST /host/bridge/field-submit   `view.submit(value)` from a field's edit view: Jira sets the
 *                                    field as the signed-in user (PUT /issue, so the field's
 *                                    validation expression and Jira's permissions decide)
 *
 * Simulated, unlike Jira: the glance opens in place in the column (Jira slides a panel over
 * it), and the edit view is always a dialog (Jira may render it inline).
 */
import { z } from 'zod';
import type { SandboxApp } from '../app-host';
import { evaluateExpression } from '../jira/model/expressions';
import { escapeHtml } from './pages';

export interface GlanceView {
  key: string;
  label: string;
  title: string;
  src: string;
}

export interface FieldView {
  moduleKey: string;
  name: string;
  /** The field's value as its `view.formatter` renders it; undefined when the field is empty. */
  text: string | undefined;
  /** The edit view's frame, when the signed-in user may edit the issue. */
  editSrc: string | undefined;
}

const FieldModulesShape = z.looseObject({
  modules: z.looseObject({
    'jira:customField': z
      .array(
        z.looseObject({
          key: z.string(),
          name: z.string(),
          view: z.looseObject({ formatter: z.looseObject({ expression: z.string() }).optional() }).optional(),
        }),
      )
      .optional(),
  }),
});

const FieldListSchema = z.array(z.looseObject({ id: z.string(), key: z.string() }));
const FieldValueSchema = z.looseObject({ fields: z.record(z.string(), z.unknown()) });
const PermissionsSchema = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })),
});
const JiraErrorsSchema = z.looseObject({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

/** The Jira field of a `jira:customField` module: its key is `<app id>__<environment>__<module key>`. */
export const fieldIdOf = async (app: SandboxApp, moduleKey: string): Promise<string | undefined> => {
  const response = await app.jira.handle({ method: 'GET', path: '/rest/api/3/field', as: { kind: 'app' } });
  if (response.status !== 200) return undefined;
  return FieldListSchema.parse(response.body).find((f) => f.key === moduleKey || f.key.endsWith(`__${moduleKey}`))?.id;
};

/** The field's value on the issue as `accountId` reads it (null when empty or not visible). */
export const fieldValueAs = async (
  app: SandboxApp,
  accountId: string,
  issueKey: string,
  fieldId: string,
): Promise<unknown> => {
  const response = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=${encodeURIComponent(fieldId)}`,
    as: { kind: 'user', accountId },
  });
  return response.status === 200 ? (FieldValueSchema.parse(response.body).fields[fieldId] ?? null) : null;
};

const mayEdit = async (app: SandboxApp, accountId: string, issueKey: string): Promise<boolean> => {
  const response = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/mypermissions?permissions=EDIT_ISSUES&issueKey=${encodeURIComponent(issueKey)}`,
    as: { kind: 'user', accountId },
  });
  return (
    response.status === 200 &&
    PermissionsSchema.parse(response.body).permissions['EDIT_ISSUES']?.havePermission === true
  );
};

/** The app's custom fields on the issue, each with its formatted value and, if the user may edit, its edit frame. */
export const fieldViewsOf = async (
  app: SandboxApp,
  manifest: unknown,
  moduleKeys: readonly string[],
  accountId: string,
  issueKey: string,
): Promise<FieldView[]> => {
  const declared = FieldModulesShape.parse(manifest).modules['jira:customField'] ?? [];
  const editable = moduleKeys.length > 0 && (await mayEdit(app, accountId, issueKey));
  const views: FieldView[] = [];
  for (const module of declared.filter((m) => moduleKeys.includes(m.key))) {
    const fieldId = await fieldIdOf(app, module.key);
    if (fieldId === undefined) continue;
    const value = await fieldValueAs(app, accountId, issueKey, fieldId);
    const expression = module.view?.formatter?.expression;
    const formatted =
      value === null
        ? undefined
        : expression === undefined
          ? JSON.stringify(value)
          : evaluateExpression(expression, { value });
    views.push({
      moduleKey: module.key,
      name: module.name,
      text: formatted === undefined ? undefined : String(formatted),
      editSrc: editable
        ? `/host/frame/${encodeURIComponent(module.key)}/?issueKey=${encodeURIComponent(issueKey)}`
        : undefined,
    });
  }
  return views;
};

/** What Jira does with `view.submit(value)` from a field's edit view: sets the field as the person. Returns Jira's refusal, if any. */
export const submitFieldValue = async (
  app: SandboxApp,
  accountId: string,
  moduleKey: string,
  issueKey: string,
  value: unknown,
): Promise<string | undefined> => {
  const fieldId = await fieldIdOf(app, moduleKey);
  if (fieldId === undefined) return `Jira has no field for '${moduleKey}'.`;
  const answer = await app.jira.handle({
    method: 'PUT',
    path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}`,
    as: { kind: 'user', accountId },
    body: { fields: { [fieldId]: value } },
  });
  await app.jira.whenEventsDelivered();
  if (answer.status === 204) return undefined;
  const errors = JiraErrorsSchema.safeParse(answer.body);
  const message = errors.success
    ? [...(errors.data.errorMessages ?? []), ...Object.values(errors.data.errors ?? {})].join(' ')
    : '';
  return message || `Jira answered HTTP ${answer.status}.`;
};

/** The extension context Jira gives a custom field's edit view in the issue view. */
export const fieldEditExtension = (fieldId: string | undefined, fieldValue: unknown): Record<string, unknown> => ({
  ...(fieldId === undefined ? {} : { fieldId }),
  fieldValue,
  renderContext: 'issue-view',
  experience: 'issue-view',
  entryPoint: 'edit',
});

export const CONTEXT_APPS_STYLE = `
.glances{margin:16px 0;display:flex;flex-direction:column;gap:8px}
.glance{border:1px solid var(--ds-border,#091E4224);border-radius:3px}
.glance>button{display:flex;width:100%;align-items:center;justify-content:space-between;gap:8px;font:inherit;padding:8px 12px;border:0;border-radius:3px;background:transparent;color:var(--ds-text,#172B4D);cursor:pointer;text-align:left}
.glance>button:hover{background:var(--ds-background-neutral-subtle-hovered,#091E420F)}
.glance>button:focus-visible,.field-edit:focus-visible,dialog.field-dialog button:focus-visible{outline:2px solid var(--ds-border-focused,#388BFF);outline-offset:2px}
.glance-panel{border-top:1px solid var(--ds-border,#091E4224)}
.glance-panel h3{font:var(--ds-font-heading-xsmall,normal 653 14px/16px system-ui,sans-serif);margin:8px 12px 0}
.glance-panel iframe{display:block;width:100%;min-height:120px;border:0}
.field-edit{font:inherit;margin-left:8px;padding:0 8px;border-radius:3px;border:1px solid var(--ds-border,#091E4224);background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D);cursor:pointer}
dialog.field-dialog{width:min(640px,95vw);border:1px solid var(--ds-border,#091E4224);border-radius:4px;padding:0;background:var(--ds-surface-overlay,#fff);color:var(--ds-text,#172B4D)}
dialog.field-dialog header{display:flex;align-items:center;justify-content:space-between;padding:8px 16px;border-bottom:1px solid var(--ds-border,#091E4224)}
dialog.field-dialog header button{font:inherit;padding:4px 12px;border-radius:3px;border:1px solid transparent;background:var(--ds-background-neutral,#091E420F);color:var(--ds-text,#172B4D);cursor:pointer}
dialog.field-dialog iframe{display:block;width:100%;min-height:240px;border:0}
`;

export const glancesHtml = (glances: readonly GlanceView[]): string =>
  glances.length === 0
    ? ''
    : `<div class="glances">${glances
        .map((g) => {
          const id = `glance-${escapeHtml(g.key)}`;
          return `<div class="glance"><button type="button" aria-expanded="false" aria-controls="${id}" data-glance="${escapeHtml(g.key)}">${escapeHtml(g.label)}<span aria-hidden="true">›</span></button>
<section class="glance-panel" id="${id}" aria-labelledby="${id}-title" hidden><h3 id="${id}-title">${escapeHtml(g.title)}</h3><iframe title="${escapeHtml(g.title)}" data-module-key="${escapeHtml(g.key)}" data-src="${escapeHtml(g.src)}"></iframe></section></div>`;
        })
        .join('\n')}</div>`;

/** Rows for the details `<dl>`. */
export const fieldRowsHtml = (fields: readonly FieldView[]): string =>
  fields
    .map(
      (f) =>
        `<dt>${escapeHtml(f.name)}</dt><dd><span data-field-value="${escapeHtml(f.moduleKey)}">${f.text === undefined ? '<span class="note">None</span>' : escapeHtml(f.text)}</span>${
          f.editSrc === undefined
            ? ''
            : `<button type="button" class="field-edit" data-field-edit="${escapeHtml(f.moduleKey)}" aria-label="Edit ${escapeHtml(f.name)}">Edit</button>`
        }</dd>`,
    )
    .join('\n');

export const fieldDialogsHtml = (fields: readonly FieldView[]): string =>
  fields
    .filter((f) => f.editSrc !== undefined)
    .map((f) => {
      const id = `field-dialog-${escapeHtml(f.moduleKey)}`;
      return `<dialog class="field-dialog" id="${id}" aria-labelledby="${id}-title" data-src="${escapeHtml(f.editSrc ?? '')}">
<header><h2 id="${id}-title" style="margin:0;font-size:16px">Edit ${escapeHtml(f.name)}</h2><button type="button" data-close>Close</button></header>
<iframe title="Edit ${escapeHtml(f.name)}" data-module-key="${escapeHtml(f.moduleKey)}"></iframe>
</dialog>`;
    })
    .join('\n');

// Opens a glance (loading its frame the first time), and a field's edit dialog; a field's
// view.submit reloads the issue (Jira shows the new value), view.close closes the dialog.
export const CONTEXT_APPS_SCRIPT = `<script>
document.querySelectorAll('button[data-glance]').forEach(function (button) {
  button.addEventListener('click', function () {
    var panel = document.getElementById(button.getAttribute('aria-controls'));
    var open = button.getAttribute('aria-expanded') !== 'true';
    var frame = panel.querySelector('iframe');
    if (open && !frame.getAttribute('src')) frame.setAttribute('src', frame.getAttribute('data-src'));
    button.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
  });
});
document.querySelectorAll('button[data-field-edit]').forEach(function (button) {
  button.addEventListener('click', function () {
    var dialog = document.getElementById('field-dialog-' + button.getAttribute('data-field-edit'));
    dialog.querySelector('iframe').src = dialog.getAttribute('data-src');
    dialog.showModal();
  });
});
document.querySelectorAll('dialog.field-dialog button[data-close]').forEach(function (button) {
  button.addEventListener('click', function () { button.closest('dialog').close(); });
});
window.addEventListener('message', function (event) {
  if (event.origin !== window.location.origin || !event.data || event.data.source !== 'sandbox-frame') return;
  var dialog = document.getElementById('field-dialog-' + String(event.data.moduleKey));
  if (!dialog) return;
  if (event.data.type === 'close') dialog.close();
  if (event.data.type === 'submit') { dialog.close(); window.location.reload(); }
});
</script>`;
