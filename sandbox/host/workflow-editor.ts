/**
 * A minimal stand-in for Jira's workflow editor (sandbox only): a Jira admin picks a
 * transition, adds one of the app's validators to it and configures it through the app's
 * production create/edit/view bundles, and the Jira stand-in then runs that validator with
 * that configuration on the transition.
 *
 *   GET  /jira/admin/workflows                          every workflow, its transitions and their validators (each shown through its `view` resource)
 *   GET  /jira/admin/workflows/validator?project=&workflow=&transition=&module=&index=
 *                                                        the `create` view (no index) or the `edit` view of one validator, with Add/Update
 *   POST /host/workflow/validators                      { project, workflow, transitionId, moduleKey, index?, configuration } saves (what Add/Update does)
 *   POST /host/workflow/validators/remove               { project, workflow, transitionId, index }
 *
 * As in Jira, the host page owns the Add/Update button: it asks the frame for the callback the
 * app registered with `workflowRules.onConfigure` (a postMessage here, Atlassian's bridge
 * there), saves the JSON text it returns, and keeps the form open when it returns undefined.
 * Simulated, unlike Jira: the configuration is stored parsed and handed to the validator
 * function as `configuration`, and to the views as `extension.validatorConfig` (JSON text).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SandboxApp } from '../app-host';
import type { WorkflowSummary } from '../jira';
import { DEMO_USERS } from '../demo/seed';
import { escapeHtml, sitePage } from './pages';
import type { HostSession } from './session';

/** Jira's new workflow editor stores at most 32 KB of configuration per rule. */
const MAX_CONFIGURATION_BYTES = 32 * 1024;

export interface ValidatorModule {
  key: string;
  title: string;
}

const ValidatorRefSchema = z.strictObject({
  project: z.string().min(1),
  workflow: z.string().min(1),
  transitionId: z.string().min(1),
});

export const SaveValidatorSchema = ValidatorRefSchema.extend({
  moduleKey: z.string().min(1),
  /** Which validator of the transition to replace (edit); absent to add one (create). */
  index: z.number().int().nonnegative().optional(),
  /** What the app's onConfigure callback returned: JSON text. */
  configuration: z.string(),
});

export const RemoveValidatorSchema = ValidatorRefSchema.extend({ index: z.number().int().nonnegative() });

export class WorkflowEditorProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const findTransition = (
  app: SandboxApp,
  ref: z.infer<typeof ValidatorRefSchema>,
): { workflow: WorkflowSummary; transition: WorkflowSummary['transitions'][number] } => {
  const workflow = app.jira.workflows().find((w) => w.projectKey === ref.project && w.name === ref.workflow);
  const transition = workflow?.transitions.find((t) => t.id === ref.transitionId);
  if (!workflow || !transition)
    throw new WorkflowEditorProblem(
      404,
      'TRANSITION_NOT_FOUND',
      `Project ${ref.project} has no transition ${ref.transitionId} in the workflow '${ref.workflow}'.`,
    );
  return { workflow, transition };
};

/** Parses what onConfigure returned, as Jira does before it stores it: JSON text within the size limit. */
const parseConfiguration = (text: string): unknown => {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIGURATION_BYTES)
    throw new WorkflowEditorProblem(
      400,
      'CONFIGURATION_TOO_LARGE',
      `The configuration is ${Buffer.byteLength(text, 'utf8')} bytes; Jira stores at most ${MAX_CONFIGURATION_BYTES}.`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new WorkflowEditorProblem(
      400,
      'CONFIGURATION_NOT_JSON',
      'The app handed the workflow editor a configuration that is not JSON text.',
    );
  }
};

export const saveValidator = (
  app: SandboxApp,
  validatorModules: readonly ValidatorModule[],
  input: z.infer<typeof SaveValidatorSchema>,
): void => {
  if (!validatorModules.some((m) => m.key === input.moduleKey))
    throw new WorkflowEditorProblem(
      400,
      'NOT_A_VALIDATOR',
      `'${input.moduleKey}' is not one of the app's workflow validators.`,
    );
  const { transition } = findTransition(app, input);
  const configuration = parseConfiguration(input.configuration);
  const validators = [...transition.validators];
  if (input.index === undefined) validators.push({ moduleKey: input.moduleKey, configuration });
  else {
    if (validators[input.index]?.moduleKey !== input.moduleKey)
      throw new WorkflowEditorProblem(
        409,
        'VALIDATOR_CHANGED',
        'The transition\u2019s validators changed meanwhile; reload the workflow editor.',
      );
    validators[input.index] = { moduleKey: input.moduleKey, configuration };
  }
  app.jira.setWorkflowTransitionValidators({
    projectKey: input.project,
    workflow: input.workflow,
    transitionId: input.transitionId,
    validators,
  });
};

export const removeValidator = (app: SandboxApp, input: z.infer<typeof RemoveValidatorSchema>): void => {
  const { transition } = findTransition(app, input);
  if (transition.validators[input.index] === undefined)
    throw new WorkflowEditorProblem(
      404,
      'VALIDATOR_NOT_FOUND',
      `Transition ${input.transitionId} has no validator ${input.index}.`,
    );
  app.jira.setWorkflowTransitionValidators({
    projectKey: input.project,
    workflow: input.workflow,
    transitionId: input.transitionId,
    validators: transition.validators.filter((_, i) => i !== input.index),
  });
};

/**
 * `extension` of a validator's configuration view, as Jira's new workflow editor gives it:
 * which view, and for edit and view the saved configuration as JSON text.
 */
export const validatorViewExtension = (app: SandboxApp, moduleType: string, url: URL): Record<string, unknown> => {
  const entryPoint = z.enum(['create', 'edit', 'view']).catch('create').parse(url.searchParams.get('entryPoint'));
  const base = { type: moduleType, entryPoint, isNewEditor: true };
  if (entryPoint === 'create') return base;
  const ref = ValidatorRefSchema.safeParse({
    project: url.searchParams.get('project'),
    workflow: url.searchParams.get('workflow'),
    transitionId: url.searchParams.get('transition'),
  });
  const index = Number(url.searchParams.get('index'));
  if (!ref.success || !Number.isInteger(index)) return base;
  const saved = findTransition(app, ref.data).transition.validators[index];
  return saved === undefined ? base : { ...base, validatorConfig: JSON.stringify(saved.configuration) };
};

const query = (params: Record<string, string | number | undefined>): string =>
  Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

const frameSrc = (moduleKey: string, params: Record<string, string | number | undefined>): string =>
  `/host/frame/${encodeURIComponent(moduleKey)}/?${query(params)}`;

const STYLE = `
table.workflow{border-collapse:collapse;width:100%;margin-bottom:24px}
table.workflow th,table.workflow td{border-bottom:1px solid var(--ds-border,#091E4224);padding:8px;text-align:left;vertical-align:top}
.validator{border:1px solid var(--ds-border,#091E4224);border-radius:3px;margin:0 0 8px;padding:4px 8px}
.validator iframe{display:block;width:100%;min-height:80px;border:0}
.actions{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.actions select,.actions button,.actions a.button{font:inherit;padding:4px 8px;border-radius:3px;border:1px solid var(--ds-border-input,#8590A2);background:var(--ds-background-input,#fff);color:var(--ds-text,#172B4D)}
button.primary{background:var(--ds-background-brand-bold,#0C66E4);color:var(--ds-text-inverse,#fff);border-color:transparent}
`;

interface PageInput {
  session: HostSession;
  returnTo: string;
}

/** The workflow list: every transition with its validators (their view resource) and an "Add validator" form. */
export const workflowsPage = (
  input: PageInput & { workflows: readonly WorkflowSummary[]; validatorModules: readonly ValidatorModule[] },
): string => {
  const title = (key: string): string => input.validatorModules.find((m) => m.key === key)?.title ?? key;
  const sections = input.workflows
    .map((workflow) => {
      const rows = workflow.transitions
        .map((t) => {
          const ref = { project: workflow.projectKey, workflow: workflow.name, transition: t.id };
          const validators = t.validators
            .map(
              (v, index) => `<div class="validator" data-validator="${escapeHtml(v.moduleKey)}">
<strong>${escapeHtml(title(v.moduleKey))}</strong>
<iframe title="${escapeHtml(`${title(v.moduleKey)} on ${t.name}`)}" data-module-key="${escapeHtml(v.moduleKey)}" src="${escapeHtml(frameSrc(v.moduleKey, { ...ref, entryPoint: 'view', index }))}"></iframe>
<div class="actions"><a class="button" href="/jira/admin/workflows/validator?${escapeHtml(query({ ...ref, module: v.moduleKey, index }))}">Edit</a>
<button type="button" data-remove='${escapeHtml(JSON.stringify({ project: workflow.projectKey, workflow: workflow.name, transitionId: t.id, index }))}'>Remove</button></div>
</div>`,
            )
            .join('\n');
          const selectId = `add-${workflow.projectKey}-${workflow.name}-${t.id}`.replace(/[^A-Za-z0-9-]/g, '-');
          return `<tr data-transition="${escapeHtml(t.id)}"><td>${escapeHtml(t.name)} <span class="note">(${escapeHtml(t.id)})</span></td><td>${escapeHtml(t.from.length === 0 ? 'any status' : t.from.join(', '))} → ${escapeHtml(t.to)}</td>
<td>${validators || '<span class="note">No validators</span>'}
<form class="actions" method="get" action="/jira/admin/workflows/validator">
<input type="hidden" name="project" value="${escapeHtml(workflow.projectKey)}"><input type="hidden" name="workflow" value="${escapeHtml(workflow.name)}"><input type="hidden" name="transition" value="${escapeHtml(t.id)}">
<label for="${selectId}">Add validator to ${escapeHtml(t.name)}</label>
<select id="${selectId}" name="module">${input.validatorModules.map((m) => `<option value="${escapeHtml(m.key)}">${escapeHtml(m.title)}</option>`).join('')}</select>
<button type="submit">Add validator</button></form></td></tr>`;
        })
        .join('\n');
      return `<section aria-labelledby="wf-${escapeHtml(workflow.projectKey)}-${escapeHtml(workflow.name.replace(/\W/g, '-'))}">
<h2 class="section" id="wf-${escapeHtml(workflow.projectKey)}-${escapeHtml(workflow.name.replace(/\W/g, '-'))}">${escapeHtml(workflow.name)} <span class="note">(${escapeHtml(workflow.projectKey)}: ${escapeHtml(workflow.issueTypes.join(', '))})</span></h2>
<table class="workflow"><thead><tr><th scope="col">Transition</th><th scope="col">From → to</th><th scope="col">Validators</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
    })
    .join('\n');
  return sitePage(
    { session: input.session, users: DEMO_USERS, returnTo: input.returnTo },
    'Workflows - Jira admin',
    ['Jira', 'Settings', 'Workflows'],
    `<style>${STYLE}</style><h1 class="summary">Workflows</h1>
<p class="note">Simulated workflow editor: validators added here are what the Jira stand-in runs on the transitions.</p>
${sections}
<script>
document.querySelectorAll('button[data-remove]').forEach(function (button) {
  button.addEventListener('click', function () {
    fetch('/host/workflow/validators/remove', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: button.getAttribute('data-remove') })
      .then(function () { window.location.reload(); });
  });
});
</script>`,
  );
};

/** The create or edit view of one validator in its frame, with the host's Add/Update and Cancel. */
export const validatorFormPage = (
  input: PageInput & {
    workflow: WorkflowSummary;
    transition: WorkflowSummary['transitions'][number];
    module: ValidatorModule;
    index: number | undefined;
  },
): string => {
  const { workflow, transition, module, index } = input;
  const mode = index === undefined ? 'create' : 'edit';
  const ref = { project: workflow.projectKey, workflow: workflow.name, transition: transition.id };
  const save = {
    project: workflow.projectKey,
    workflow: workflow.name,
    transitionId: transition.id,
    moduleKey: module.key,
    ...(index === undefined ? {} : { index }),
  };
  return sitePage(
    { session: input.session, users: DEMO_USERS, returnTo: input.returnTo },
    `${mode === 'create' ? 'Add' : 'Edit'} ${module.title} - Workflows - Jira admin`,
    ['Jira', 'Settings', 'Workflows', workflow.name],
    `<style>${STYLE}</style><h1 class="summary">${mode === 'create' ? 'Add' : 'Edit'} “${escapeHtml(module.title)}” on ${escapeHtml(transition.name)}</h1>
<p class="note">${escapeHtml(workflow.name)} (${escapeHtml(workflow.issueTypes.join(', '))}): ${escapeHtml(transition.from.length === 0 ? 'any status' : transition.from.join(', '))} → ${escapeHtml(transition.to)}</p>
<iframe title="${escapeHtml(`Configure ${module.title}`)}" data-module-key="${escapeHtml(module.key)}" src="${escapeHtml(frameSrc(module.key, { ...ref, entryPoint: mode, index }))}" style="display:block;width:100%;min-height:240px;border:0"></iframe>
<p role="alert" id="save-problem" class="note"></p>
<div class="actions"><button type="button" class="primary" id="save-validator">${mode === 'create' ? 'Add' : 'Update'}</button><a class="button" href="/jira/admin/workflows">Cancel</a></div>
<script>
(function () {
  var save = ${JSON.stringify(save).replace(/</g, '\\u003c')};
  var frame = document.querySelector('iframe[data-module-key]');
  var problem = document.getElementById('save-problem');
  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin || !event.data || event.data.source !== 'sandbox-frame' || event.data.type !== 'configured') return;
    if (typeof event.data.config !== 'string') {
      problem.textContent = event.data.error || 'The app kept the form open: fix what it shows, then try again.';
      return;
    }
    save.configuration = event.data.config;
    fetch('/host/workflow/validators', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(save) })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (answer) {
        if (answer.ok) window.location.href = '/jira/admin/workflows';
        else problem.textContent = (answer.json && answer.json.error && answer.json.error.message) || 'The validator could not be saved.';
      });
  });
  document.getElementById('save-validator').addEventListener('click', function () {
    problem.textContent = '';
    frame.contentWindow.postMessage({ source: 'sandbox-host', type: 'configure' }, window.location.origin);
  });
})();
</script>`,
  );
};

export interface WorkflowEditorRoutes {
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    url: URL,
    session: HostSession,
  ): Promise<boolean>;
}

export const createWorkflowEditorRoutes = (options: {
  app: SandboxApp;
  validatorModules: readonly ValidatorModule[];
  sendHtml: (res: ServerResponse, status: number, html: string) => void;
  sendJson: (res: ServerResponse, status: number, value: unknown) => void;
  readJson: <S extends z.ZodType>(req: IncomingMessage, schema: S) => Promise<z.output<S>>;
  /** Throws the host's 403 unless the session's user is a Jira admin. */
  requireJiraAdmin: (session: HostSession) => void;
  only: (method: string, path: string, ...methods: string[]) => void;
  changed?: () => void;
}): WorkflowEditorRoutes => {
  const { app, validatorModules } = options;
  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    url: URL,
    session: HostSession,
  ): Promise<boolean> => {
    switch (path) {
      case '/jira/admin/workflows':
        options.only(method, path, 'GET');
        options.requireJiraAdmin(session);
        options.sendHtml(
          res,
          200,
          workflowsPage({ session, returnTo: path, workflows: app.jira.workflows(), validatorModules }),
        );
        return true;
      case '/jira/admin/workflows/validator': {
        options.only(method, path, 'GET');
        options.requireJiraAdmin(session);
        const ref = ValidatorRefSchema.safeParse({
          project: url.searchParams.get('project'),
          workflow: url.searchParams.get('workflow'),
          transitionId: url.searchParams.get('transition'),
        });
        if (!ref.success)
          throw new WorkflowEditorProblem(400, 'INVALID_QUERY', 'Name the project, workflow and transition.');
        const module = validatorModules.find((m) => m.key === url.searchParams.get('module'));
        if (!module)
          throw new WorkflowEditorProblem(
            404,
            'NOT_A_VALIDATOR',
            `'${url.searchParams.get('module') ?? ''}' is not one of the app's workflow validators.`,
          );
        const rawIndex = url.searchParams.get('index');
        const index = rawIndex === null ? undefined : Number(rawIndex);
        if (index !== undefined && !Number.isInteger(index))
          throw new WorkflowEditorProblem(400, 'INVALID_QUERY', 'index must be a number.');
        const { workflow, transition } = findTransition(app, ref.data);
        options.sendHtml(
          res,
          200,
          validatorFormPage({ session, returnTo: `${path}${url.search}`, workflow, transition, module, index }),
        );
        return true;
      }
      case '/host/workflow/validators':
        options.only(method, path, 'POST');
        options.requireJiraAdmin(session);
        saveValidator(app, validatorModules, await options.readJson(req, SaveValidatorSchema));
        options.changed?.();
        options.sendJson(res, 200, { saved: true });
        return true;
      case '/host/workflow/validators/remove':
        options.only(method, path, 'POST');
        options.requireJiraAdmin(session);
        removeValidator(app, await options.readJson(req, RemoveValidatorSchema));
        options.changed?.();
        options.sendJson(res, 200, { removed: true });
        return true;
      default:
        return false;
    }
  };
  return { handle };
};
