/**
 * The host-side bridge injected into each Custom UI iframe, before the bundle's own scripts:
 * `window.__bridge.callBridge(name, payload)` is the seam @forge/bridge 7.2.0 calls (see
 * node_modules/@forge/bridge/out/bridge.js). Atlassian's host answers these calls across
 * postMessage; here they go to the sandbox server, which knows the signed-in demo user from
 * its cookie, so the iframe cannot choose whom it runs as.
 */

export interface FrameBoot {
  /** What `view.getContext()` answers. */
  context: Record<string, unknown>;
  moduleKey: string;
  issueKey: string;
  /** A macro's page, macro and mode (view, the editor's preview, or its config view). */
  macro?: { pageId: string; localId: string; mode: 'view' | 'edit' | 'config' };
  colorMode: 'light' | 'dark';
  /** URL of the design-token stylesheet applied on `view.theme.enable()`. */
  tokensHref: string;
}

/** JSON that is safe inside a `<script>` element. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

// Plain ES2017 in the browser; kept as a string so the bundle is served unchanged.
const BRIDGE_SOURCE = String.raw`
(function () {
  var boot = window.__sandboxBoot;
  var post = function (path, body) {
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(function (json) {
          if (!res.ok) {
            var error = new Error((json && json.error && json.error.message) || ('The sandbox host answered ' + res.status));
            error.code = json && json.error && json.error.code;
            throw error;
          }
          return json.result;
        });
      });
  };
  var applyTheme = function () {
    var html = document.documentElement;
    html.setAttribute('data-color-mode', boot.colorMode);
    html.setAttribute('data-theme', 'dark:dark light:light spacing:spacing typography:typography shape:shape');
    if (!document.getElementById('sandbox-host-tokens')) {
      var link = document.createElement('link');
      link.id = 'sandbox-host-tokens';
      link.rel = 'stylesheet';
      link.href = boot.tokensHref;
      document.head.appendChild(link);
      return new Promise(function (resolve) {
        link.onload = function () { resolve(undefined); };
        link.onerror = function () { resolve(undefined); };
      });
    }
    return Promise.resolve(undefined);
  };
  var handlers = {
    invoke: function (payload) {
      var body = { moduleKey: boot.moduleKey, issueKey: boot.issueKey, functionKey: payload && payload.functionKey, payload: payload && payload.payload };
      if (boot.macro) body.macro = boot.macro;
      return post('/host/bridge/invoke', body);
    },
    getContext: function () {
      return Promise.resolve(JSON.parse(JSON.stringify(boot.context)));
    },
    submit: function (payload) {
      var tell = function () {
        window.parent.postMessage({ source: 'sandbox-frame', type: 'submit', moduleKey: boot.moduleKey, payload: payload }, window.location.origin);
        return true;
      };
      // A macro's config view: Confluence saves { config } for that macro on the page.
      if (boot.macro && boot.macro.mode === 'config') return post('/host/bridge/submit', { moduleKey: boot.moduleKey, macro: boot.macro, payload: payload }).then(tell);
      // A custom field's edit view: Jira sets the field to the submitted value, as the person.
      if (boot.context.extension && boot.context.extension.type === 'jira:customField') return post('/host/bridge/field-submit', { moduleKey: boot.moduleKey, issueKey: boot.issueKey, payload: payload }).then(tell);
      return Promise.resolve(tell());
    },
    close: function () {
      window.parent.postMessage({ source: 'sandbox-frame', type: 'close', moduleKey: boot.moduleKey }, window.location.origin);
      return Promise.resolve(true);
    },
    fetchProduct: function (payload) {
      return post('/host/bridge/fetch-product', payload);
    },
    enableTheming: applyTheme,
    // @forge/jira-bridge's workflowRules.onConfigure: the host keeps the callback and calls it on Add/Update.
    setWorkflowRuleConfigurationCallback: function (payload) {
      workflowRuleConfigure = payload && payload.data && payload.data.onConfigure;
      return Promise.resolve(typeof workflowRuleConfigure === 'function');
    }
  };
  var workflowRuleConfigure;
  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin || event.source !== window.parent || !event.data || event.data.source !== 'sandbox-host' || event.data.type !== 'configure') return;
    var reply = function (config, error) {
      window.parent.postMessage({ source: 'sandbox-frame', type: 'configured', moduleKey: boot.moduleKey, config: config, error: error }, window.location.origin);
    };
    if (typeof workflowRuleConfigure !== 'function') return reply(undefined, 'The app registered no workflowRules.onConfigure callback.');
    Promise.resolve()
      .then(function () { return workflowRuleConfigure(); })
      .then(function (config) { reply(typeof config === 'string' ? config : undefined, undefined); }, function (error) { reply(undefined, String((error && error.message) || error)); });
  });
  window.__bridge = {
    callBridge: function (name, payload) {
      var handler = handlers[name];
      if (!handler) {
        return Promise.reject(new Error("The sandbox host does not implement the Forge bridge call '" + name + "' (it answers: " + Object.keys(handlers).join(', ') + ').'));
      }
      try {
        return handler(payload);
      } catch (error) {
        return Promise.reject(error);
      }
    }
  };
  // Jira sizes the panel iframe to its content; report the height to the host page.
  var report = function () {
    window.parent.postMessage({ source: 'sandbox-frame', type: 'resize', moduleKey: boot.moduleKey, height: document.documentElement.scrollHeight }, window.location.origin);
  };
  if (typeof ResizeObserver === 'function') {
    window.addEventListener('DOMContentLoaded', function () { new ResizeObserver(report).observe(document.documentElement); });
  }
  window.addEventListener('load', report);
})();
`;

/** The `<script>` elements that go first in the iframe's `<head>`. */
export const bridgeScripts = (boot: FrameBoot): string =>
  `<script>window.__sandboxBoot = ${scriptJson(boot)};</script>\n<script>${BRIDGE_SOURCE}</script>\n`;

/** The bundle's index.html with the bridge placed before anything else in `<head>`. */
export const injectBridge = (indexHtml: string, boot: FrameBoot): string => {
  const head = /<head[^>]*>/i.exec(indexHtml);
  if (!head) throw new Error('The Custom UI index.html has no <head> to put the host bridge in.');
  const at = head.index + head[0].length;
  return `${indexHtml.slice(0, at)}\n${bridgeScripts(boot)}${indexHtml.slice(at)}`;
};
