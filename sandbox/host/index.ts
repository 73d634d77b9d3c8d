/**
 * Host pages: each Custom UI bundle served inside a page that looks like its Jira surface,
 * with a host-side bridge so the production bundle runs unchanged (see bridge-script.ts).
 *
 *   GET  /jira/browse/{issueKey}             the issue view, with each issue panel its displayConditions allow
 *   GET  /jira/admin                         the app's jira:adminPage (shown, as in Jira, to Jira admins only)
 *   GET  /jira/admin/workflows, POST /host/workflow/...   a minimal workflow editor for the app's validators (workflow-editor.ts)
 *   GET  /host/frame/{moduleKey}/?issueKey=  the iframe document: the bundle's index.html + bridge
 *   GET  /host/frame/{moduleKey}/{file}      the bundle's other files, unchanged
 *   GET  /host/tokens.css                    Atlassian design tokens (light, dark, spacing, typography, shape)
 *   POST /host/session                       form: user switcher and theme; sets the cookies, redirects back
 *   POST /host/transition                    form: the workflow bar; transitions the issue as the signed-in user
 *   POST /host/bridge/invoke                 `invoke` from the iframe: the module's resolver as the signed-in user
 *   POST /host/bridge/fetch-product          `requestJira` from the iframe: the Jira stand-in as the signed-in user
 *   GET  /confluence/spaces/{space}/pages/{id}[/edit]  a Confluence page with the app's macros (the editor opens their config view)
 *   GET  /host/frame/{macroKey}/?pageId=&localId=&mode=view|edit|config  a macro's iframe document
 *   POST /host/bridge/submit                 `view.submit` from a macro's config view: Confluence saves `{ config }` for that macro
 *   POST /host/bridge/field-submit           `view.submit` from a custom field's edit view: Jira sets the field as the user (issue-context-apps.ts)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { SandboxApp } from '../app-host';
import { createJiraProductHandler } from '../jira';
import type { ResolverHandler } from '../runtime/forge-runtime';
import { injectBridge } from './bridge-script';
import { adminPage, issueViewPage, notFoundPage } from './pages';
import type { IssueView } from './pages';
import { sessionCookies, sessionOf } from './session';
import type { ColorMode } from './session';
import { DEMO_USERS } from '../demo/seed';
import { tokensCss } from './tokens';
import { WorkflowEditorProblem, createWorkflowEditorRoutes, validatorViewExtension } from './workflow-editor';
import { createConfluenceSite, MacroSubmitSchema } from '../confluence/site';
import type { ConfluenceSite } from '../confluence/site';
import { confluenceNotFoundPage, confluencePageView } from './confluence-pages';
import { fieldEditExtension, fieldIdOf, fieldValueAs, fieldViewsOf, submitFieldValue } from './issue-context-apps';

const root = resolve(__dirname, '..', '..');

export interface HostRoutesOptions {
  app: SandboxApp;
  /** manifest.yml as loaded by the server (modules and resources). */
  manifest: unknown;
  /** The resolver function of a UI module, as the server's `/sandbox/invoke` finds it. */
  resolverOf(moduleKey: string): { functionKey: string; handler: ResolverHandler } | undefined;
  /** Called after anything that may have changed state (for persistence). */
  changed?(): void;
  /** The Confluence pages the app's macros are on; a fresh demo site when absent. */
  confluence?: ConfluenceSite;
}

export class HostProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A UI module of manifest.yml with its Custom UI resource directory. */
interface UiModule {
  key: string;
  type: string;
  title: string;
  /** A glance's `label` (what the issue view's right column shows before it is opened). */
  label?: string;
  resourceKey: string;
  resourceDir: string;
  /** `displayConditions.issueType` of the module: the issue type names it shows on (all when absent). */
  issueTypes?: string[];
}

// A customField's `view` may hold only a formatter expression, no resource.
const ResourceRefSchema = z.looseObject({ resource: z.string().optional() }).optional();

const ManifestShape = z.looseObject({
  modules: z.record(
    z.string(),
    z.array(
      z.looseObject({
        key: z.string(),
        title: z.string().optional(),
        label: z.string().optional(),
        resource: z.string().optional(),
        displayConditions: z
          .looseObject({ issueType: z.union([z.string(), z.array(z.string())]).optional() })
          .optional(),
        name: z.string().optional(),
        // A workflow validator's configuration views (this app points all three at one bundle).
        create: ResourceRefSchema,
        edit: ResourceRefSchema,
        view: ResourceRefSchema,
      }),
    ),
  ),
  resources: z.array(z.looseObject({ key: z.string(), path: z.string() })).optional(),
});

const uiModulesOf = (manifest: unknown): UiModule[] => {
  const parsed = ManifestShape.parse(manifest);
  const resources = parsed.resources ?? [];
  return Object.entries(parsed.modules).flatMap(([type, list]) =>
    list.flatMap((m) => {
      const resource = resources.find(
        (r) => r.key === (m.resource ?? m.view?.resource ?? m.create?.resource ?? m.edit?.resource),
      );
      const issueType = m.displayConditions?.issueType;
      const issueTypes =
        issueType === undefined ? {} : { issueTypes: typeof issueType === 'string' ? [issueType] : issueType };
      const label = m.label === undefined ? {} : { label: m.label };
      return resource
        ? [
            {
              key: m.key,
              type,
              title: m.title ?? m.name ?? m.key,
              ...label,
              resourceKey: resource.key,
              resourceDir: resolve(root, resource.path),
              ...issueTypes,
            },
          ]
        : [];
    }),
  );
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html;charset=UTF-8',
  '.js': 'text/javascript;charset=UTF-8',
  '.mjs': 'text/javascript;charset=UTF-8',
  '.css': 'text/css;charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json;charset=UTF-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json;charset=UTF-8',
};

const send = (
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extra: Record<string, string | string[]> = {},
): void => {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
};

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, 'application/json;charset=UTF-8', JSON.stringify(value));

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const jsonBody = async <S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> => {
  let json: unknown;
  try {
    json = JSON.parse(await readBody(req));
  } catch {
    throw new HostProblem(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new HostProblem(
      400,
      'INVALID_BODY',
      `The request body is not valid: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  return parsed.data;
};

/** Where a macro's iframe is: which page, which macro on it, and whether it is the view, the editor's preview or the config view. */
const MacroRefSchema = z.strictObject({
  pageId: z.string().min(1),
  localId: z.string().min(1),
  mode: z.enum(['view', 'edit', 'config']),
});
type MacroRef = z.infer<typeof MacroRefSchema>;

// issueKey is empty for modules that are not on an issue (the admin page, a macro).
const InvokeSchema = z.strictObject({
  moduleKey: z.string().min(1),
  issueKey: z.string(),
  functionKey: z.string().min(1),
  payload: z.unknown().optional(),
  macro: MacroRefSchema.optional(),
});

const SubmitSchema = z.strictObject({ moduleKey: z.string().min(1), macro: MacroRefSchema, payload: z.unknown() });

const FieldSubmitSchema = z.strictObject({
  moduleKey: z.string().min(1),
  issueKey: z.string().min(1),
  payload: z.unknown(),
});

const FetchProductSchema = z.looseObject({
  product: z.string(),
  restPath: z.string().startsWith('/'),
  fetchRequestInit: z
    .looseObject({
      method: z.string().optional(),
      body: z.string().nullable().optional(),
      headers: z.array(z.tuple([z.string(), z.string()])).optional(),
    })
    .optional(),
});

const TransitionFormSchema = z.object({ issueKey: z.string().min(1), transition: z.string().regex(/^\d+$/) });
const TransitionsSchema = z.looseObject({ transitions: z.array(z.looseObject({ id: z.string(), name: z.string() })) });
const JiraErrorsSchema = z.looseObject({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

const SessionFormSchema = z.object({
  user: z.string(),
  theme: z.enum(['light', 'dark']),
  return: z.string().regex(/^\/(?!\/)/),
});

const IssueBeanSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string(),
    description: z.unknown().optional(),
    status: z.looseObject({ name: z.string(), statusCategory: z.looseObject({ key: z.string() }) }),
    issuetype: z.looseObject({ id: z.string(), name: z.string() }),
    project: z.looseObject({ id: z.string(), key: z.string(), name: z.string() }),
    assignee: z.looseObject({ displayName: z.string() }).nullable().optional(),
    reporter: z.looseObject({ displayName: z.string() }).nullable().optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
  }),
});
type IssueBean = z.infer<typeof IssueBeanSchema>;

/** Jira shows a module on an issue when its `displayConditions` allow it (only `issueType` is honoured here). */
const displaysOn = (module: UiModule, issue: IssueBean): boolean =>
  module.issueTypes === undefined || module.issueTypes.includes(issue.fields.issuetype.name);

export interface HostRoutes {
  /** Answers the request if it is a host route (errors as `{ error: { code, message } }`); false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean>;
  /** Path of the issue view for an issue key. */
  browsePath(issueKey: string): string;
  /** The Confluence pages and their macros' configuration. */
  confluence: ConfluenceSite;
  /** Path of a Confluence page. */
  confluencePath(pageId: string): string;
}

export const createHostRoutes = (options: HostRoutesOptions): HostRoutes => {
  const { app } = options;
  const modules = uiModulesOf(options.manifest);
  const productHandler = createJiraProductHandler(app.jira);
  const confluence = options.confluence ?? createConfluenceSite();
  const confluencePath = (pageId: string): string => {
    const found = confluence.page(pageId);
    return `/confluence/spaces/${encodeURIComponent(found?.space.key ?? 'unknown')}/pages/${encodeURIComponent(pageId)}`;
  };

  const moduleByKey = (key: string): UiModule => {
    const module = modules.find((m) => m.key === key);
    if (!module) throw new HostProblem(404, 'MODULE_NOT_FOUND', `manifest.yml has no Custom UI module '${key}'.`);
    return module;
  };

  /** The issue as `accountId` may see it (Jira's 404 when they may not). */
  const issueAs = async (accountId: string, issueKey: string): Promise<IssueBean | undefined> => {
    const response = await app.jira.handle({
      method: 'GET',
      path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=summary,description,status,issuetype,project,assignee,reporter,created,updated`,
      as: { kind: 'user', accountId },
    });
    if (response.status !== 200) return undefined;
    return IssueBeanSchema.parse(response.body);
  };

  const extensionOf = (module: UiModule, issue: IssueBean): Record<string, unknown> => ({
    type: module.type,
    issue: { key: issue.key, id: issue.id, type: issue.fields.issuetype.name, typeId: issue.fields.issuetype.id },
    project: { key: issue.fields.project.key, id: issue.fields.project.id },
  });

  /** Jira shows a jira:adminPage to Jira admins only. */
  const isAdminPage = (module: UiModule): boolean => module.type === 'jira:adminPage';
  const requireJiraAdmin = (session: { user: { role: string; displayName: string } }): void => {
    if (session.user.role !== 'admin')
      throw new HostProblem(
        403,
        'NOT_JIRA_ADMIN',
        `${session.user.displayName} is not a Jira admin, and Jira shows the app's admin page to Jira admins only.`,
      );
  };
  const isMacro = (module: UiModule): boolean => module.type === 'macro';
  const isCustomField = (module: UiModule): boolean => module.type === 'jira:customField';
  /** The macro's Forge context as Confluence gives it: the page, the space, the saved config, and whether it is being configured. */
  const macroExtension = (
    module: UiModule,
    ref: MacroRef | undefined,
  ): { extension: Record<string, unknown>; localId: string } => {
    if (ref === undefined)
      throw new HostProblem(
        400,
        'MACRO_REQUIRED',
        `Module '${module.key}' is a Confluence macro: name its page, macro and mode.`,
      );
    const found = confluence.page(ref.pageId);
    const macro = found?.macros.find((m) => m.localId === ref.localId && m.moduleKey === module.key);
    if (!found || !macro)
      throw new HostProblem(
        404,
        'MACRO_NOT_FOUND',
        `Page ${ref.pageId} has no '${module.key}' macro '${ref.localId}'.`,
      );
    return {
      localId: macro.localId,
      extension: {
        type: module.type,
        content: { id: found.id, type: 'page' },
        space: { key: found.space.key, id: found.space.id },
        isEditing: ref.mode !== 'view',
        ...(macro.config === undefined ? {} : { config: macro.config }),
        ...(ref.mode === 'config' ? { macro: { isConfiguring: true } } : {}),
      },
    };
  };
  /** The Forge extension context of a module that is not on an issue. */
  const isValidator = (module: UiModule): boolean => module.type === 'jira:workflowValidator';
  /** Modules that are not on an issue. The admin page and a validator's configuration views are Jira-admin only. */
  const isAdminOnly = (module: UiModule): boolean => isAdminPage(module) || isValidator(module);
  const siteModuleContext = (
    module: UiModule,
    where: { url?: URL; macro?: MacroRef } = {},
  ): { issue: IssueBean; extension: Record<string, unknown>; localId: string } | undefined => {
    const site = { id: 'site', key: '', fields: {} } as unknown as IssueBean;
    if (isMacro(module)) return { issue: site, ...macroExtension(module, where.macro) };
    if (isValidator(module))
      return {
        issue: site,
        extension: where.url ? validatorViewExtension(app, module.type, where.url) : { type: module.type },
        localId: `sandbox-local-${module.key}`,
      };
    return isAdminPage(module)
      ? { issue: site, extension: { type: module.type }, localId: `sandbox-local-${module.key}` }
      : undefined;
  };

  const macroRefOf = (url: URL): MacroRef | undefined => {
    const parsed = MacroRefSchema.safeParse({
      pageId: url.searchParams.get('pageId') ?? undefined,
      localId: url.searchParams.get('localId') ?? undefined,
      mode: url.searchParams.get('mode') ?? 'view',
    });
    return parsed.success ? parsed.data : undefined;
  };

  const frameDocument = async (
    req: IncomingMessage,
    res: ServerResponse,
    module: UiModule,
    url: URL,
  ): Promise<void> => {
    const session = sessionOf(req);
    const issueKey = url.searchParams.get('issueKey') ?? '';
    const macroRef = isMacro(module) ? macroRefOf(url) : undefined;
    const site = siteModuleContext(module, { url, ...(macroRef ? { macro: macroRef } : {}) });
    if (site && isAdminOnly(module)) requireJiraAdmin(session);
    const issue = site ? site.issue : await issueAs(session.user.accountId, issueKey);
    if (!issue)
      throw new HostProblem(
        404,
        'ISSUE_NOT_FOUND',
        `Issue '${issueKey}' does not exist or ${session.user.displayName} may not see it.`,
      );
    const indexFile = join(module.resourceDir, 'index.html');
    if (!existsSync(indexFile)) {
      throw new HostProblem(
        503,
        'BUNDLE_NOT_BUILT',
        `The Custom UI bundle of '${module.key}' is not built (${indexFile} is missing): run \`npm run build\`.`,
      );
    }
    const installation = app.runtime.installation;
    let extension = site ? site.extension : extensionOf(module, issue);
    if (isCustomField(module)) {
      const fieldId = await fieldIdOf(app, module.key);
      extension = {
        ...extension,
        ...fieldEditExtension(
          fieldId,
          fieldId === undefined ? null : await fieldValueAs(app, session.user.accountId, issue.key, fieldId),
        ),
      };
    }
    const html = injectBridge(readFileSync(indexFile, 'utf8'), {
      moduleKey: module.key,
      issueKey: issue.key,
      ...(macroRef ? { macro: macroRef } : {}),
      colorMode: session.colorMode,
      tokensHref: '/host/tokens.css',
      context: {
        accountId: session.user.accountId,
        accountType: 'licensed',
        cloudId: installation.cloudId,
        localId: site ? site.localId : `sandbox-local-${module.key}-${issue.id}`,
        moduleKey: module.key,
        siteUrl: installation.siteUrl,
        environmentId: installation.environmentId,
        environmentType: installation.environmentType,
        locale: installation.locale.replace('_', '-'),
        timezone: installation.timezone,
        extension,
        theme: { colorMode: session.colorMode },
      },
    });
    send(res, 200, CONTENT_TYPES['.html'] ?? 'text/html', html);
  };

  const frameFile = (res: ServerResponse, module: UiModule, relative: string): void => {
    const file = resolve(module.resourceDir, relative);
    if (!file.startsWith(module.resourceDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      throw new HostProblem(404, 'NOT_FOUND', `The '${module.resourceKey}' resource has no file '${relative}'.`);
    }
    send(res, 200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  };

  /** The transitions Jira offers this user on the issue (none without Transition issues). */
  const transitionsAs = async (accountId: string, issueKey: string): Promise<Array<{ id: string; name: string }>> => {
    const response = await app.jira.handle({
      method: 'GET',
      path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`,
      as: { kind: 'user', accountId },
    });
    return response.status === 200
      ? TransitionsSchema.parse(response.body).transitions.map(({ id, name }) => ({ id, name }))
      : [];
  };

  const browse = async (
    req: IncomingMessage,
    res: ServerResponse,
    issueKey: string,
    refusal?: { status: number; message: string },
  ): Promise<void> => {
    const session = sessionOf(req);
    const issue = await issueAs(session.user.accountId, issueKey);
    if (!issue) {
      send(
        res,
        404,
        'text/html;charset=UTF-8',
        notFoundPage({
          issueKey,
          session,
          users: DEMO_USERS,
          returnTo: `/jira/browse/${encodeURIComponent(issueKey)}`,
        }),
      );
      return;
    }
    const panels = modules.filter((m) => m.type === 'jira:issuePanel' && displaysOn(m, issue));
    const view: IssueView = {
      key: issue.key,
      summary: issue.fields.summary,
      description: issue.fields.description,
      status: issue.fields.status.name,
      statusCategory: issue.fields.status.statusCategory.key,
      issueType: issue.fields.issuetype.name,
      project: { key: issue.fields.project.key, name: issue.fields.project.name },
      assignee: issue.fields.assignee?.displayName,
      reporter: issue.fields.reporter?.displayName,
      created: issue.fields.created,
      updated: issue.fields.updated,
      panels: panels.map((m) => ({
        key: m.key,
        title: m.title,
        src: `/host/frame/${encodeURIComponent(m.key)}/?issueKey=${encodeURIComponent(issue.key)}`,
        icon: `/host/frame/${encodeURIComponent(m.key)}/icon.svg`,
      })),
      transitions: await transitionsAs(session.user.accountId, issue.key),
      glances: modules
        .filter((m) => m.type === 'jira:issueGlance' && displaysOn(m, issue))
        .map((m) => ({
          key: m.key,
          label: m.label ?? m.title,
          title: m.title,
          src: `/host/frame/${encodeURIComponent(m.key)}/?issueKey=${encodeURIComponent(issue.key)}`,
        })),
      fields: await fieldViewsOf(
        app,
        options.manifest,
        modules.filter((m) => isCustomField(m) && displaysOn(m, issue)).map((m) => m.key),
        session.user.accountId,
        issue.key,
      ),
      ...(refusal ? { refusal: refusal.message } : {}),
    };
    send(
      res,
      refusal?.status ?? 200,
      'text/html;charset=UTF-8',
      issueViewPage({
        issue: view,
        session,
        users: DEMO_USERS,
        returnTo: `/jira/browse/${encodeURIComponent(issue.key)}`,
      }),
    );
  };

  const confluencePageRoute = (req: IncomingMessage, res: ServerResponse, pageId: string, editing: boolean): void => {
    const session = sessionOf(req);
    const found = confluence.page(pageId);
    const viewPath = confluencePath(pageId);
    if (!found) {
      send(
        res,
        404,
        'text/html;charset=UTF-8',
        confluenceNotFoundPage({ pageId, session, users: DEMO_USERS, returnTo: viewPath }),
      );
      return;
    }
    const frameOf = (moduleKey: string, localId: string, mode: MacroRef['mode']): string =>
      `/host/frame/${encodeURIComponent(moduleKey)}/?pageId=${encodeURIComponent(pageId)}&localId=${encodeURIComponent(localId)}&mode=${mode}`;
    const frames = found.macros.flatMap((macro) => {
      const module = modules.find((m) => m.key === macro.moduleKey && isMacro(m));
      return module
        ? [
            {
              localId: macro.localId,
              title: module.title,
              moduleKey: module.key,
              src: frameOf(module.key, macro.localId, editing ? 'edit' : 'view'),
              ...(editing ? { configSrc: frameOf(module.key, macro.localId, 'config') } : {}),
            },
          ]
        : [];
    });
    const returnTo = editing ? `${viewPath}/edit` : viewPath;
    send(
      res,
      200,
      'text/html;charset=UTF-8',
      confluencePageView({
        page: found,
        frames,
        editing,
        viewPath,
        editPath: `${viewPath}/edit`,
        session,
        users: DEMO_USERS,
        returnTo,
      }),
    );
  };

  const only = (method: string, path: string, ...methods: string[]): void => {
    if (!methods.includes(method))
      throw new HostProblem(
        405,
        'METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${path}; use ${methods.join(' or ')}.`,
      );
  };

  const workflowEditor = createWorkflowEditorRoutes({
    app,
    validatorModules: modules.filter(isValidator).map((m) => ({ key: m.key, title: m.title })),
    sendHtml: (res, status, html) => send(res, status, 'text/html;charset=UTF-8', html),
    sendJson,
    readJson: jsonBody,
    requireJiraAdmin,
    only: (method, path, ...methods) => only(method, path, ...methods),
    ...(options.changed ? { changed: options.changed } : {}),
  });

  const route = async (req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (await workflowEditor.handle(req, res, method, path, url, sessionOf(req))) return true;
    const browseMatch = /^\/jira\/browse\/([^/]+)$/.exec(path);
    if (browseMatch) {
      only(method, path, 'GET');
      await browse(req, res, decodeURIComponent(browseMatch[1] ?? ''));
      return true;
    }
    const frameMatch = /^\/host\/frame\/([^/]+)\/(.*)$/.exec(path);
    if (frameMatch) {
      only(method, path, 'GET');
      const module = moduleByKey(decodeURIComponent(frameMatch[1] ?? ''));
      const rest = decodeURIComponent(frameMatch[2] ?? '');
      if (rest === '' || rest === 'index.html') await frameDocument(req, res, module, url);
      else frameFile(res, module, rest);
      return true;
    }
    const confluenceMatch = /^\/confluence\/spaces\/([^/]+)\/pages\/([^/]+)(\/edit)?$/.exec(path);
    if (confluenceMatch) {
      only(method, path, 'GET');
      confluencePageRoute(req, res, decodeURIComponent(confluenceMatch[2] ?? ''), confluenceMatch[3] !== undefined);
      return true;
    }
    switch (path) {
      case '/host/bridge/submit': {
        only(method, path, 'POST');
        const body = await jsonBody(req, SubmitSchema);
        const module = moduleByKey(body.moduleKey);
        if (!isMacro(module) || body.macro.mode !== 'config')
          throw new HostProblem(
            400,
            'NOT_SUBMITTABLE',
            `Only a macro's config view can be submitted here; '${module.key}' in mode '${body.macro.mode}' is not one.`,
          );
        macroExtension(module, body.macro);
        const submitted = MacroSubmitSchema.safeParse(body.payload);
        if (!submitted.success)
          throw new HostProblem(
            400,
            'INVALID_CONFIG',
            'A macro config view submits `{ config: { ... } }`; nothing was saved.',
          );
        confluence.saveMacroConfig(body.macro.pageId, body.macro.localId, submitted.data.config);
        options.changed?.();
        sendJson(res, 200, { result: true });
        return true;
      }
      case '/host/bridge/field-submit': {
        only(method, path, 'POST');
        const body = await jsonBody(req, FieldSubmitSchema);
        const module = moduleByKey(body.moduleKey);
        if (!isCustomField(module))
          throw new HostProblem(
            400,
            'NOT_SUBMITTABLE',
            `'${module.key}' is not a custom field, so Jira has no field value to set from it.`,
          );
        const refusal = await submitFieldValue(
          app,
          sessionOf(req).user.accountId,
          module.key,
          body.issueKey,
          body.payload,
        );
        options.changed?.();
        if (refusal !== undefined) throw new HostProblem(400, 'FIELD_REFUSED', refusal);
        sendJson(res, 200, { result: true });
        return true;
      }
      case '/jira/admin': {
        only(method, path, 'GET');
        const session = sessionOf(req);
        const module = modules.find(isAdminPage);
        if (!module) throw new HostProblem(404, 'MODULE_NOT_FOUND', 'manifest.yml has no jira:adminPage module.');
        const input = { session, users: DEMO_USERS, returnTo: '/jira/admin' };
        if (session.user.role !== 'admin') {
          send(res, 403, 'text/html;charset=UTF-8', adminPage({ ...input, module: undefined }));
          return true;
        }
        send(
          res,
          200,
          'text/html;charset=UTF-8',
          adminPage({
            ...input,
            module: { key: module.key, title: module.title, src: `/host/frame/${encodeURIComponent(module.key)}/` },
          }),
        );
        return true;
      }
      case '/host/tokens.css':
        only(method, path, 'GET');
        send(res, 200, 'text/css;charset=UTF-8', tokensCss());
        return true;
      case '/host/session': {
        only(method, path, 'POST');
        const form = SessionFormSchema.safeParse(Object.fromEntries(new URLSearchParams(await readBody(req))));
        if (!form.success)
          throw new HostProblem(
            400,
            'INVALID_FORM',
            `The switcher form is not valid: ${z.prettifyError(form.error).replace(/\n/g, ' ')}`,
          );
        if (!DEMO_USERS.some((u) => u.accountId === form.data.user))
          throw new HostProblem(
            400,
            'UNKNOWN_ACCOUNT',
            `'${form.data.user}' is not a demo user; see GET /sandbox/users.`,
          );
        const theme: ColorMode = form.data.theme;
        res.writeHead(303, {
          Location: form.data.return,
          'Set-Cookie': sessionCookies(form.data.user, theme),
          'Content-Length': '0',
        });
        res.end();
        return true;
      }
      case '/host/transition': {
        only(method, path, 'POST');
        const form = TransitionFormSchema.safeParse(Object.fromEntries(new URLSearchParams(await readBody(req))));
        if (!form.success)
          throw new HostProblem(
            400,
            'INVALID_FORM',
            `The workflow form is not valid: ${z.prettifyError(form.error).replace(/\n/g, ' ')}`,
          );
        const session = sessionOf(req);
        const answer = await app.jira.handle({
          method: 'POST',
          path: `/rest/api/3/issue/${encodeURIComponent(form.data.issueKey)}/transitions`,
          as: { kind: 'user', accountId: session.user.accountId },
          body: { transition: { id: form.data.transition } },
        });
        await app.jira.whenEventsDelivered();
        options.changed?.();
        if (answer.status === 204) {
          res.writeHead(303, {
            Location: `/jira/browse/${encodeURIComponent(form.data.issueKey)}`,
            'Content-Length': '0',
          });
          res.end();
          return true;
        }
        const errors = JiraErrorsSchema.safeParse(answer.body);
        const message = errors.success
          ? [...(errors.data.errorMessages ?? []), ...Object.values(errors.data.errors ?? {})].join('\n')
          : '';
        await browse(req, res, form.data.issueKey, {
          status: answer.status,
          message: message || `Jira answered HTTP ${answer.status}.`,
        });
        return true;
      }
      case '/host/bridge/invoke': {
        only(method, path, 'POST');
        const body = await jsonBody(req, InvokeSchema);
        const session = sessionOf(req);
        const module = moduleByKey(body.moduleKey);
        const resolver = options.resolverOf(module.key);
        if (!resolver)
          throw new HostProblem(
            400,
            'NO_RESOLVER',
            `Module '${module.key}' has no resolver in manifest.yml, so there is nothing to invoke.`,
          );
        const site = siteModuleContext(module, body.macro ? { macro: body.macro } : {});
        if (site && isAdminOnly(module)) requireJiraAdmin(session);
        const issue = site ? site.issue : await issueAs(session.user.accountId, body.issueKey);
        if (!issue)
          throw new HostProblem(
            404,
            'ISSUE_NOT_FOUND',
            `Issue '${body.issueKey}' does not exist or ${session.user.displayName} may not see it.`,
          );
        let result: unknown;
        try {
          result = await app.runtime.invokeResolver(
            resolver.handler,
            site
              ? {
                  functionKey: body.functionKey,
                  payload: body.payload,
                  extension: site.extension,
                  localId: site.localId,
                }
              : {
                  functionKey: body.functionKey,
                  payload: body.payload,
                  extension: extensionOf(module, issue),
                  localId: `sandbox-local-${module.key}-${issue.id}`,
                },
            {
              accountId: session.user.accountId,
              moduleKey: module.key,
              functionKey: resolver.functionKey,
              moduleType: module.type,
            },
          );
        } catch (error) {
          throw new HostProblem(
            500,
            'INVOCATION_FAILED',
            `Module '${module.key}' failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        } finally {
          options.changed?.();
        }
        sendJson(res, 200, { result: result === undefined ? null : result });
        return true;
      }
      case '/host/bridge/fetch-product': {
        only(method, path, 'POST');
        const body = await jsonBody(req, FetchProductSchema);
        const session = sessionOf(req);
        if (body.product !== 'jira')
          throw new HostProblem(
            400,
            'UNSUPPORTED_PRODUCT',
            `The sandbox host has no '${body.product}' stand-in; only requestJira is answered.`,
          );
        const init = body.fetchRequestInit ?? {};
        const answer = await productHandler({
          provider: 'user',
          remote: 'jira',
          accountId: session.user.accountId,
          method: (init.method ?? 'GET').toUpperCase(),
          path: body.restPath,
          headers: Object.fromEntries((init.headers ?? []).map(([k, v]) => [k.toLowerCase(), v])),
          body: init.body ?? undefined,
        });
        if ((init.method ?? 'GET').toUpperCase() !== 'GET') options.changed?.();
        sendJson(res, 200, {
          result: {
            status: answer.status,
            statusText: '',
            headers: answer.headers,
            body: answer.body ?? '',
            isAttachment: false,
          },
        });
        return true;
      }
      default:
        return false;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> => {
    try {
      return await route(req, res, method, path);
    } catch (error) {
      const problem =
        error instanceof HostProblem || error instanceof WorkflowEditorProblem
          ? error
          : new HostProblem(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      if (res.headersSent) res.end();
      else sendJson(res, problem.status, { error: { code: problem.code, message: problem.message } });
      return true;
    }
  };

  return {
    handle,
    browsePath: (issueKey) => `/jira/browse/${encodeURIComponent(issueKey)}`,
    confluence,
    confluencePath,
  };
};
